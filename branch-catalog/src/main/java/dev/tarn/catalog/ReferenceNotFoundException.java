package dev.tarn.catalog;

/** A branch, tag or commit named by the user does not exist. */
public class ReferenceNotFoundException extends CatalogException {
  private static final long serialVersionUID = 1L;
  private final String reference;

  public ReferenceNotFoundException(String reference, String message) {
    super(message);
    this.reference = reference;
  }

  public static ReferenceNotFoundException of(String name, ReferenceType type) {
    String what = type == null ? "reference" : type.word();
    return new ReferenceNotFoundException(
        name,
        what + " " + name + " does not exist; SHOW " + (type == ReferenceType.TAG ? "TAGS" : type == null ? "REFERENCES" : "BRANCHES") + " lists the existing ones");
  }

  public String reference() {
    return reference;
  }
}
