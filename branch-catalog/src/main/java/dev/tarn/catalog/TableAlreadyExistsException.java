package dev.tarn.catalog;

/** Creating a table whose name is taken on the branch. */
public class TableAlreadyExistsException extends CatalogException {
  private static final long serialVersionUID = 1L;
  private final TableId table;

  public TableAlreadyExistsException(TableId table, String where) {
    super(
        "table "
            + table
            + " already exists on "
            + where
            + "; use IF NOT EXISTS, another name, or drop it first");
    this.table = table;
  }

  public TableId table() {
    return table;
  }
}
