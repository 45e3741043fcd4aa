package dev.tarn.catalog;

/** A table does not exist at the reference read or written. */
public class TableNotFoundException extends CatalogException {
  private static final long serialVersionUID = 1L;
  private final TableId table;

  public TableNotFoundException(TableId table, String where) {
    super("table " + table + " does not exist on " + where);
    this.table = table;
  }

  public TableId table() {
    return table;
  }
}
