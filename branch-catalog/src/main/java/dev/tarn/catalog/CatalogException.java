package dev.tarn.catalog;

/**
 * Base of every error the branch catalog raises. Messages are written for users: what failed, on
 * which object, and what to do about it. Subclasses say precisely which case it is; {@link
 * #retryable()} says whether doing the same thing again may succeed.
 */
public class CatalogException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CatalogException(String message) {
    super(message);
  }

  public CatalogException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Whether repeating the same request unchanged may succeed. */
  public boolean retryable() {
    return false;
  }
}
