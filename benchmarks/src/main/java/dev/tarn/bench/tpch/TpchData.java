package dev.tarn.bench.tpch;

import io.trino.tpch.TpchColumn;
import io.trino.tpch.TpchEntity;
import io.trino.tpch.TpchTable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * TPC-H data generated in Java by {@code io.trino.tpch} (dbgen's algorithm), as Arrow batches with
 * the spec's types: identifiers BIGINT, integers INTEGER, money and quantities DECIMAL(15,2), dates
 * DATE, text VARCHAR. The generator is deterministic, so two readers of the same table and scale
 * factor give the same rows in the same order.
 */
final class TpchData {
  /** TPC-H's money and quantity columns: DECIMAL(15,2). */
  static final int PRECISION = 15;
  static final int SCALE = 2;

  private TpchData() {}

  /** The eight tables, smallest first. */
  static List<TpchTable<?>> tables() {
    List<TpchTable<?>> tables = new ArrayList<>(TpchTable.getTables());
    tables.sort((a, b) -> Integer.compare(order(a.getTableName()), order(b.getTableName())));
    return tables;
  }

  private static int order(String table) {
    return List.of("region", "nation", "supplier", "customer", "part", "partsupp", "orders", "lineitem")
        .indexOf(table);
  }

  /** The Arrow schema of a table: the spec's column names and types. */
  static Schema schema(TpchTable<?> table) {
    List<Field> fields = new ArrayList<>();
    for (TpchColumn<?> column : table.getColumns()) {
      fields.add(new Field(column.getColumnName(), FieldType.notNullable(arrowType(column)), null));
    }
    return new Schema(fields);
  }

  private static ArrowType arrowType(TpchColumn<?> column) {
    return switch (column.getType().getBase()) {
      case IDENTIFIER -> new ArrowType.Int(64, true);
      case INTEGER -> new ArrowType.Int(32, true);
      case DATE -> new ArrowType.Date(DateUnit.DAY);
      // Every DOUBLE of the generator is a money amount or a quantity with two decimals.
      case DOUBLE -> new ArrowType.Decimal(PRECISION, SCALE, 128);
      case VARCHAR -> ArrowType.Utf8.INSTANCE;
    };
  }

  /** A reader generating {@code table} at scale factor {@code sf}, {@code batchRows} rows a batch. */
  static ArrowReader reader(TpchTable<?> table, double sf, int batchRows, BufferAllocator allocator) {
    return new Generating<>(table, sf, batchRows, allocator);
  }

  /** Fills each batch from the generator as it is asked for: nothing is held beyond one batch. */
  private static final class Generating<E extends TpchEntity> extends ArrowReader {
    private final TpchTable<E> table;
    private final Iterator<E> rows;
    private final int batchRows;
    private long bytes;

    @SuppressWarnings("unchecked")
    Generating(TpchTable<?> table, double sf, int batchRows, BufferAllocator allocator) {
      super(allocator);
      this.table = (TpchTable<E>) table;
      this.rows = this.table.createGenerator(sf, 1, 1).iterator();
      this.batchRows = batchRows;
    }

    @Override
    public boolean loadNextBatch() throws java.io.IOException {
      VectorSchemaRoot root = getVectorSchemaRoot();
      root.clear();
      if (!rows.hasNext()) {
        root.setRowCount(0);
        return false;
      }
      root.allocateNew();
      List<TpchColumn<E>> columns = table.getColumns();
      List<FieldVector> vectors = root.getFieldVectors();
      int n = 0;
      while (n < batchRows && rows.hasNext()) {
        E row = rows.next();
        for (int c = 0; c < columns.size(); c++) {
          set(vectors.get(c), columns.get(c), row, n);
        }
        n++;
      }
      root.setRowCount(n);
      for (FieldVector v : vectors) {
        bytes += v.getBufferSize();
      }
      return true;
    }

    private void set(FieldVector vector, TpchColumn<E> column, E row, int i) {
      switch (column.getType().getBase()) {
        case IDENTIFIER -> ((BigIntVector) vector).setSafe(i, column.getIdentifier(row));
        case INTEGER -> ((IntVector) vector).setSafe(i, column.getInteger(row));
        case DATE -> ((DateDayVector) vector).setSafe(i, column.getDate(row));
        // The generator keeps money in cents and hands it out as cents / 100.0: rounding the
        // double back to cents is exact.
        case DOUBLE -> ((DecimalVector) vector).setSafe(i, Math.round(column.getDouble(row) * 100));
        case VARCHAR -> ((VarCharVector) vector).setSafe(i, column.getString(row).getBytes(StandardCharsets.UTF_8));
      }
    }

    @Override
    public long bytesRead() {
      return bytes;
    }

    @Override
    protected void closeReadSource() {}

    @Override
    protected Schema readSchema() {
      return schema(table);
    }
  }
}
