package dev.tarn.catalog;

/**
 * A reference did not point where the caller expected: it moved since the caller read it (another
 * session committed, merged or assigned it). Read it again and retry.
 */
public class ReferenceConflictException extends CatalogException {
  private static final long serialVersionUID = 1L;
  private final String reference;
  private final String expectedHash;
  private final String actualHash;

  public ReferenceConflictException(String reference, String expectedHash, String actualHash) {
    this(
        reference,
        expectedHash,
        actualHash,
        "branch "
            + reference
            + " moved: expected it at commit "
            + abbrev(expectedHash)
            + " but it is at "
            + abbrev(actualHash)
            + "; look at SHOW LOG "
            + reference
            + " and retry");
  }

  protected ReferenceConflictException(
      String reference, String expectedHash, String actualHash, String message) {
    super(message);
    this.reference = reference;
    this.expectedHash = expectedHash;
    this.actualHash = actualHash;
  }

  static String abbrev(String hash) {
    return hash == null ? "?" : hash.substring(0, Math.min(12, hash.length()));
  }

  public String reference() {
    return reference;
  }

  public String expectedHash() {
    return expectedHash;
  }

  public String actualHash() {
    return actualHash;
  }

  @Override
  public boolean retryable() {
    return true;
  }
}
