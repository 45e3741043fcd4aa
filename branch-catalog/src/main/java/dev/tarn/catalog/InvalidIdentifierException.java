package dev.tarn.catalog;

/**
 * A schema, table or column name that Tarn refuses to store (see {@link Identifiers}): the message
 * names the kind of identifier, shows it with invisible characters escaped, and states the rule.
 */
public class InvalidIdentifierException extends CatalogException {
  private static final long serialVersionUID = 1L;

  public InvalidIdentifierException(String message) {
    super(message);
  }
}
