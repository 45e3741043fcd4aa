package dev.tarn.catalog;

/** Creating a namespace (SQL schema) that exists. */
public class NamespaceAlreadyExistsException extends CatalogException {
  private static final long serialVersionUID = 1L;

  public NamespaceAlreadyExistsException(String namespace, String where) {
    super("schema " + namespace + " already exists on " + where + "; use IF NOT EXISTS");
  }
}
