package dev.tarn.bench.cache;

import dev.tarn.catalog.At;
import dev.tarn.catalog.ChangeSet;
import dev.tarn.catalog.DataFileSpec;
import dev.tarn.catalog.ResolvedReference;
import dev.tarn.catalog.TableId;
import dev.tarn.catalog.embedded.EmbeddedBranchCatalog;
import dev.tarn.executor.lakehouse.DataFileWriter;
import dev.tarn.executor.lakehouse.IcebergTypes;
import dev.tarn.executor.lakehouse.LakehouseViews;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;

/**
 * B6's table {@code public.events} on {@code main}: N rows spread evenly over the 36 months of
 * 2021 to 2023, partitioned by month, so one data file per month, written by Tarn's own writer in
 * one commit. {@code usd} is a multiple of 0.25, so every sum is exact whatever the order.
 */
final class EventsTable {
  static final String NAME = "events";
  static final TableId ID = TableId.of("public", NAME);
  static final String COLUMNS =
      "id BIGINT, usd DOUBLE, country VARCHAR, customer VARCHAR, qty INTEGER, eventTime TIMESTAMP";
  static final int MONTHS = 36;
  /** Microseconds from 2021-01-01 to 2024-01-01. */
  private static final long SPAN_MICROS = 1095L * 24 * 3600 * 1_000_000;

  private EventsTable() {}

  /** @return the number of data files written */
  static int create(EmbeddedBranchCatalog catalog, Connection duckdb, long rows) {
    Schema schema = IcebergTypes.toSchema(IcebergTypes.describeColumns(duckdb, COLUMNS));
    catalog.commit(ChangeSet.on("main").message("CREATE TABLE " + ID).author("bench")
        .createNamespace(ID.namespace(), true)
        .createTable(ID, schema, PartitionSpec.builderFor(schema).month("eventTime").build(), Map.of(), false));
    Table table = catalog.loadTable(At.branch("main"), ID);
    String query = "SELECT range AS id, (range % 1000) * 0.25 AS usd,"
        + " ['IT', 'FR', 'DE', 'ES', 'US', 'JP', 'GB', 'NL'][range % 8 + 1] AS country,"
        + " 'customer ' || (range % 100003) AS customer, CAST(range % 7 AS INTEGER) AS qty,"
        + " TIMESTAMP '2021-01-01 00:00:00' + to_microseconds(range * " + (SPAN_MICROS / rows) + ") AS eventTime"
        + " FROM range(" + rows + ")";
    List<DataFileSpec> files = new DataFileWriter(duckdb)
        .write(query, table.schema(), table.spec(), table.location() + "/data");
    catalog.commit(ChangeSet.on("main").message("INSERT INTO " + ID).author("bench").appendFiles(ID, files));
    return files.size();
  }

  /**
   * What a scan must hand its model, computed by DuckDB over the table's view at {@code main},
   * apart from any pipeline.
   */
  static Answer expected(LakehouseViews views, ResolvedReference main, Connection duckdb, OverlappingScan scan)
      throws SQLException {
    String view = views.ensureView(main, ID);
    try (Statement s = duckdb.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*), coalesce(sum(usd), 0) FROM " + view + " WHERE "
            + scan.filter())) {
      rs.next();
      return new Answer(rs.getLong(1), rs.getDouble(2));
    }
  }

  /** Rows a scan keeps and their {@code usd} total. */
  record Answer(long rows, double usd) {}
}
