package dev.tarn.catalog;

/** A namespace (SQL schema) does not exist at the reference. */
public class NamespaceNotFoundException extends CatalogException {
  private static final long serialVersionUID = 1L;

  public NamespaceNotFoundException(String namespace, String where) {
    super(
        "schema "
            + namespace
            + " does not exist on "
            + where
            + "; create it with CREATE SCHEMA "
            + namespace);
  }
}
