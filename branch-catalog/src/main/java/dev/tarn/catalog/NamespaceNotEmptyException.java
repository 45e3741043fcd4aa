package dev.tarn.catalog;

/** Dropping a namespace (SQL schema) that still holds tables. */
public class NamespaceNotEmptyException extends CatalogException {
  private static final long serialVersionUID = 1L;

  public NamespaceNotEmptyException(String namespace, String where, int tables) {
    super(
        "schema "
            + namespace
            + " on "
            + where
            + " still holds "
            + tables
            + (tables == 1 ? " table" : " tables")
            + "; drop them first");
  }
}
