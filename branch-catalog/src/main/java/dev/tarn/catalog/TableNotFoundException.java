package dev.tarn.catalog;

/** A table does not exist at the reference read or written. */
public class TableNotFoundException extends CatalogException {
  private static final long serialVersionUID = 1L;
  private final TableId table;

  public TableNotFoundException(TableId table, String where) {
    this(table, "table " + table + " does not exist on " + where, true);
  }

  private TableNotFoundException(TableId table, String message, boolean unused) {
    super(message);
    this.table = table;
  }

  /** A view does not exist where it was named. */
  public static TableNotFoundException view(TableId view, String where) {
    return new TableNotFoundException(view, "view " + view + " does not exist on " + where, true);
  }

  public TableId table() {
    return table;
  }
}
