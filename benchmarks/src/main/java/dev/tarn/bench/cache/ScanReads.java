package dev.tarn.bench.cache;

import dev.tarn.bench.WrongAnswerException;
import dev.tarn.bench.cache.EventsTable.Answer;
import dev.tarn.catalog.At;
import dev.tarn.catalog.BranchCatalog;
import dev.tarn.catalog.ResolvedReference;
import dev.tarn.executor.lakehouse.LakehouseViews;
import dev.tarn.executor.lakehouse.LakehouseViews.BoundScan;
import dev.tarn.executor.lakehouse.Sql;
import dev.tarn.executor.pipeline.ScanCache;
import dev.tarn.executor.pipeline.SqlInspector;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.iceberg.Schema;
import org.apache.iceberg.expressions.Expression;
import org.duckdb.DuckDBResultSet;

/**
 * B6's scans without the pipeline around them: what a scan step and its consumer do to the data.
 * Each scan is pruned by Iceberg's metadata for its filter and bound to its files as a pipeline scan
 * is, then DuckDB exports the declared columns of the rows the filter keeps as Arrow batches, as a
 * scan is exported to a Python model, reading them through the scan cache's lease or straight from
 * Parquet. No model process and no IPC file: the part of a run the cache can make faster.
 *
 * <p>Answers: the row count and {@code usd} total of the batches against DuckDB over the table's view.
 */
final class ScanReads implements ScanSide {
  /** Rows per Arrow batch, as a scan is exported to a Python model. */
  private static final long BATCH_ROWS = 64 * 1024;

  private final BranchCatalog catalog;
  private final LakehouseViews views;
  private final SqlInspector sql;
  private final ResolvedReference at;
  private final Connection duckdb;
  private final List<OverlappingScan> scans;
  private final List<Answer> expected;
  private final BufferAllocator allocator;

  ScanReads(BranchCatalog catalog, LakehouseViews views, SqlInspector sql, ResolvedReference at, Connection duckdb,
      List<OverlappingScan> scans, List<Answer> expected, BufferAllocator allocator) {
    this.catalog = catalog;
    this.allocator = allocator;
    this.views = views;
    this.sql = sql;
    this.at = at;
    this.duckdb = duckdb;
    this.scans = List.copyOf(scans);
    this.expected = List.copyOf(expected);
  }

  @Override
  public List<ScanRun> run(ScanCache cache, String side) throws SQLException {
    List<ScanRun> runs = new ArrayList<>();
    try (ScanCache.Lease lease = cache.lease()) {
      for (int i = 0; i < scans.size(); i++) {
        OverlappingScan scan = scans.get(i);
        long started = System.nanoTime();
        Schema schema = catalog.loadTable(At.commit(at.hash()), EventsTable.ID).schema();
        Expression pruning = sql.pruningFilter(scan.filter(), schema).orElse(null);
        Set<String> read = new LinkedHashSet<>(scan.columns());
        read.add("eventTime");
        BoundScan bound = views.bindScan(at, EventsTable.ID, pruning, new ArrayList<>(read));
        List<String> locations = bound.files().stream().map(views.files()::locationOf).toList();
        ScanCache.CachedScan source = lease.read(bound.files(), locations, schema, bound.schema());
        String columns = scan.columns().stream().map(Sql::ident).collect(Collectors.joining(", "));
        String query = "SELECT " + columns + " FROM " + source.sql() + " AS scan WHERE " + scan.filter();
        long rows = 0;
        double usd = 0;
        try (Statement s = duckdb.createStatement();
            ResultSet rs = s.executeQuery(query);
            ArrowReader reader = (ArrowReader) rs.unwrap(DuckDBResultSet.class)
                .arrowExportStream(allocator, BATCH_ROWS)) {
          while (reader.loadNextBatch()) {
            VectorSchemaRoot batch = reader.getVectorSchemaRoot();
            rows += batch.getRowCount();
            Float8Vector values = (Float8Vector) batch.getVector("usd");
            for (int r = 0; r < batch.getRowCount(); r++) {
              usd += values.isNull(r) ? 0 : values.get(r);
            }
          }
        } catch (IOException e) {
          throw new SQLException("reading scan '" + scan.name() + "' as Arrow failed: " + e.getMessage(), e);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        check(side, scan, expected.get(i), rows, usd);
        runs.add(new ScanRun(seconds, seconds, bound.files().size(), source.fromCache(), rows));
      }
    }
    return runs;
  }

  private static void check(String side, OverlappingScan scan, Answer expected, long rows, double usd) {
    if (rows != expected.rows() || usd != expected.usd()) {
      throw new WrongAnswerException(side + ": scan '" + scan.name() + "' read " + rows + " rows totalling " + usd
          + " usd, expected " + expected.rows() + " rows totalling " + expected.usd());
    }
  }
}
