package dev.tarn.catalog;

/** Creating a table whose name is taken on the branch. */
public class TableAlreadyExistsException extends CatalogException {
  private static final long serialVersionUID = 1L;
  private final TableId table;

  public TableAlreadyExistsException(TableId table, String where) {
    this(table, "table " + table + " already exists on " + where + "; use IF NOT EXISTS, another name, or drop it first",
        true);
  }

  private TableAlreadyExistsException(TableId table, String message, boolean unused) {
    super(message);
    this.table = table;
  }

  /** A view's name is taken on the branch, by a view or by a table. */
  public static TableAlreadyExistsException name(TableId name, String what, String where, String hint) {
    return new TableAlreadyExistsException(name, what + " " + name + " already exists on " + where + "; " + hint, true);
  }

  public TableId table() {
    return table;
  }
}
