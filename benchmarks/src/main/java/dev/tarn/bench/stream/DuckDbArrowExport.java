package dev.tarn.bench.stream;

import dev.tarn.bench.stream.StreamQuery.Tally;
import java.sql.Connection;
import java.sql.Statement;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.duckdb.DuckDBResultSet;

/** (a) Embedded DuckDB exporting the result as Arrow batches in-process: the physical ceiling. */
final class DuckDbArrowExport implements StreamSide {
  private final Connection duckdb;
  private final BufferAllocator allocator;
  private final String sql;
  private final int batchRows;

  DuckDbArrowExport(Connection duckdb, BufferAllocator parent, String sql, int batchRows) {
    this.duckdb = duckdb;
    this.allocator = parent.newChildAllocator("duckdb-arrow-export", 0, Long.MAX_VALUE);
    this.sql = sql;
    this.batchRows = batchRows;
  }

  @Override
  public String key() {
    return "a";
  }

  @Override
  public String label() {
    return "embedded DuckDB, Arrow export in-process";
  }

  @Override
  public Tally fetch() throws Exception {
    ArrowCounter counter = new ArrowCounter(label());
    try (Statement statement = duckdb.createStatement();
        DuckDBResultSet rs = (DuckDBResultSet) statement.executeQuery(sql);
        ArrowReader reader = (ArrowReader) rs.arrowExportStream(allocator, batchRows)) {
      while (reader.loadNextBatch()) {
        counter.add(reader.getVectorSchemaRoot());
      }
    }
    return counter.tally();
  }

  @Override
  public void close() {
    allocator.close();
  }
}
