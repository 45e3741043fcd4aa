package dev.tarn.catalog;

/** A change is not valid for the table as it is (bad column, incompatible type, bad file...). */
public class InvalidChangeException extends CatalogException {
  private static final long serialVersionUID = 1L;

  public InvalidChangeException(String message, Throwable cause) {
    super(message, cause);
  }

  public InvalidChangeException(String message) {
    super(message);
  }
}
