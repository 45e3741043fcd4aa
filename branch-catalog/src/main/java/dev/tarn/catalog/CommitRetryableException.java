package dev.tarn.catalog;

/**
 * A commit could not land because the branch kept moving (heavy concurrent writing) or the
 * catalog was briefly unavailable. Nothing was committed; the same change may be retried as is.
 */
public class CommitRetryableException extends CatalogException {
  private static final long serialVersionUID = 1L;

  public CommitRetryableException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public boolean retryable() {
    return true;
  }
}
