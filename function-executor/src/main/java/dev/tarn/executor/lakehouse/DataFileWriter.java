package dev.tarn.executor.lakehouse;

import dev.tarn.catalog.DataFileSpec;
import dev.tarn.catalog.Identifiers;
import dev.tarn.executor.EngineException;
import dev.tarn.executor.EngineException.Reason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * Writes the rows of a query as Parquet data files of an Iceberg table, with DuckDB: every column
 * cast to the Iceberg type's DuckDB type and written with its Iceberg field id, one or more files
 * per partition (about {@link #DEFAULT_TARGET_FILE_SIZE} bytes each), file names unique (UUID).
 * It returns each file with its metrics ({@link ParquetMetrics}) and partition path, ready for
 * {@code ChangeSet.appendFiles} or {@code replaceFiles}. Nothing is committed here: files of a
 * change that never commits are orphans the caller may delete ({@link #deleteQuietly}).
 *
 * <p>Partition transforms computed in DuckDB: identity (all primitive types but binary), year,
 * month, day, hour (date, timestamp, timestamptz in UTC), truncate (int, long, string) and void.
 * Bucket is not supported yet and fails with a clear message.
 *
 * <p>Not thread-safe: one writer per connection at a time.
 */
public final class DataFileWriter {
  public static final long DEFAULT_TARGET_FILE_SIZE = 128L << 20;
  /**
   * Snappy, DuckDB's own default: zstd files are about a third smaller but take DuckDB about 1.7x
   * as long to scan on this class of machine (benchmarks/README.md, B2). A table's
   * {@value #COMPRESSION_PROPERTY} property overrides it.
   */
  public static final String DEFAULT_COMPRESSION = "snappy";
  /** Iceberg's table property naming the Parquet codec of new data files. */
  public static final String COMPRESSION_PROPERTY = "write.parquet.compression-codec";
  private static final java.util.Set<String> CODECS =
      java.util.Set.of("uncompressed", "snappy", "gzip", "zstd", "lz4", "lz4_raw", "brotli");
  private static final Pattern TRUNCATE = Pattern.compile("truncate\\[(\\d+)]");

  private final Connection connection;
  private final DataFileStore store;
  private long targetFileSizeBytes = DEFAULT_TARGET_FILE_SIZE;
  private String compression = DEFAULT_COMPRESSION;

  /** A writer into a warehouse folder on this machine (files written in place). */
  public DataFileWriter(Connection connection) {
    this(connection, DataFileStore.local());
  }

  /**
   * A writer whose files DuckDB writes into {@code store}'s staging directory; each finished file
   * is published to its location (uploaded, for object storage) before {@link #write} returns.
   */
  public DataFileWriter(Connection connection, DataFileStore store) {
    this.connection = connection;
    this.store = store;
  }

  /** Rolls over to a new file after about this many bytes (DuckDB's {@code FILE_SIZE_BYTES}). */
  public DataFileWriter targetFileSize(long bytes) {
    if (bytes < 1) {
      throw new IllegalArgumentException("target file size must be positive");
    }
    this.targetFileSizeBytes = bytes;
    return this;
  }

  /**
   * Compresses new files as the table asks ({@value #COMPRESSION_PROPERTY}), else with {@link
   * #DEFAULT_COMPRESSION}.
   */
  public DataFileWriter compressionOf(org.apache.iceberg.Table table) {
    String codec = table.properties().get(COMPRESSION_PROPERTY);
    if (codec == null) {
      return this;
    }
    String normalized = codec.strip().toLowerCase(java.util.Locale.ROOT);
    if (!CODECS.contains(normalized)) {
      throw new EngineException(Reason.INVALID, "table " + table.name() + " asks for Parquet compression '" + codec
          + "' (" + COMPRESSION_PROPERTY + "), which Tarn cannot write; supported: " + new java.util.TreeSet<>(CODECS));
    }
    this.compression = normalized;
    return this;
  }

  /**
   * Writes the rows of {@code query} (columns in {@code schema}'s order, any names, types castable
   * to the table's) under {@code dataLocation} (normally {@code <table location>/data}). Returns no
   * file when the query has no rows.
   */
  public List<DataFileSpec> write(String query, Schema schema, PartitionSpec spec, String dataLocation) {
    checkColumnCount(query, schema);
    return writeColumns(query, schema, spec, dataLocation);
  }

  /**
   * Like {@link #write(String, Schema, PartitionSpec, String)} for rows selected from a scratch
   * table ({@link ScratchTable#selectRows()} and its kin), whose columns are its schema's by
   * construction: no statement is prepared to count them.
   */
  public List<DataFileSpec> write(ScratchTable scratch, String rowsQuery, PartitionSpec spec, String dataLocation) {
    return writeColumns(rowsQuery, scratch.schema(), spec, dataLocation);
  }

  /**
   * Writes the one row of {@code values} (a {@code VALUES (...)} query of constants), whose values
   * fill the columns {@code filled} in that order; the table's other columns are NULL. Each value is
   * cast to its column's type, as DuckDB's INSERT casts it; a value that does not convert fails with
   * DuckDB's own error, and nothing is left behind.
   */
  public List<DataFileSpec> writeRow(String values, List<Types.NestedField> filled, Schema schema,
      PartitionSpec spec, String dataLocation) throws SQLException {
    StringBuilder select = new StringBuilder("SELECT ");
    // the values are named after the columns they fill, so that a failed cast names its column
    List<String> aliases = filled.stream().map(f -> Sql.ident(f.name())).toList();
    List<Types.NestedField> columns = schema.columns();
    for (int i = 0; i < columns.size(); i++) {
      Types.NestedField f = columns.get(i);
      int at = filled.indexOf(f);
      select.append(i > 0 ? ", " : "").append("CAST(").append(at < 0 ? "NULL" : aliases.get(at)).append(" AS ")
          .append(IcebergTypes.toDuckDb(f.type())).append(") AS ").append(Sql.ident(f.name()));
    }
    // The empty second branch makes DuckDB refuse a row of another width than the columns filled,
    // whatever Tarn counted: a set operation's sides must have the same number of columns.
    String nulls = String.join(", ", java.util.Collections.nCopies(filled.size(), "NULL"));
    String projection = select + " FROM (SELECT * FROM (" + values + "\n) UNION ALL SELECT " + nulls
        + " WHERE false) AS __tarn_rows(" + String.join(", ", aliases) + ")";
    try {
      return writeProjection(projection, schema, spec, dataLocation);
    } catch (SQLException e) {
      // DuckDB's position points into this COPY's text, not the client's: its first line says it all
      throw new SQLException(firstLine(String.valueOf(e.getMessage())), e.getSQLState(), e);
    }
  }

  private List<DataFileSpec> writeColumns(String query, Schema schema, PartitionSpec spec, String dataLocation) {
    try {
      return writeProjection(projection(query, schema), schema, spec, dataLocation);
    } catch (SQLException e) {
      throw new EngineException(Reason.INVALID, "writing data files failed: " + firstLine(e.getMessage()), e);
    }
  }

  /** Writes the rows of {@code projection}, whose columns are the schema's; on failure deletes what it wrote. */
  private List<DataFileSpec> writeProjection(String projection, Schema schema, PartitionSpec spec, String dataLocation)
      throws SQLException {
    String dir = dataLocation.endsWith("/") ? dataLocation.substring(0, dataLocation.length() - 1) : dataLocation;
    if (spec != null) {
      // Partition folders are named after partition fields, which are named after columns.
      spec.fields().forEach(f -> Identifiers.require(Identifiers.Kind.COLUMN, f.name()));
    }
    List<DataFileSpec> written = new ArrayList<>();
    try {
      if (spec == null || !spec.isPartitioned()) {
        written.addAll(copy(projection, schema, dir, null));
      } else {
        writePartitioned(projection, schema, spec, dir, written);
      }
      return written;
    } catch (SQLException | RuntimeException e) {
      deleteQuietly(written, store);
      throw e;
    }
  }

  /** Deletes data files of a warehouse folder that will not be committed (a failed or abandoned change). */
  public static void deleteQuietly(List<DataFileSpec> files) {
    deleteQuietly(files, DataFileStore.local());
  }

  /** Deletes data files (and their local copies) that will not be committed, ignoring failures. */
  public static void deleteQuietly(List<DataFileSpec> files, DataFileStore store) {
    for (DataFileSpec f : files) {
      store.delete(f.path());
    }
  }

  private void checkColumnCount(String query, Schema schema) {
    try (PreparedStatement p = connection.prepareStatement(query)) {
      int n = p.getMetaData().getColumnCount();
      if (n != schema.columns().size()) {
        throw new EngineException(Reason.INVALID,
            "the rows to write have " + n + " columns but the table has " + schema.columns().size()
                + " (" + String.join(", ", schema.columns().stream().map(Types.NestedField::name).toList()) + ")");
      }
    } catch (SQLException e) {
      throw new EngineException(Reason.INVALID, "cannot write rows of: " + firstLine(e.getMessage()), e);
    }
  }

  /** The query's columns renamed positionally and cast to the table's types. */
  static String projection(String query, Schema schema) {
    List<Types.NestedField> columns = schema.columns();
    StringBuilder select = new StringBuilder("SELECT ");
    StringBuilder aliases = new StringBuilder();
    for (int i = 0; i < columns.size(); i++) {
      Types.NestedField f = columns.get(i);
      String alias = Sql.ident("__tarn_c" + i);
      if (i > 0) {
        select.append(", ");
        aliases.append(", ");
      }
      aliases.append(alias);
      select.append("CAST(").append(alias).append(" AS ").append(IcebergTypes.toDuckDb(f.type()))
          .append(") AS ").append(Sql.ident(f.name()));
    }
    return select + " FROM (" + stripSemicolons(query) + "\n) AS __tarn_rows(" + aliases + ")";
  }

  /**
   * Writes the rows of {@code select} with one COPY into the staging directory of {@code dir}
   * (plus the partition directory), then measures and publishes each file; the specs name the
   * files' final locations.
   */
  private List<DataFileSpec> copy(String select, Schema schema, String dir, String partitionPath)
      throws SQLException {
    String directory = partitionPath == null ? dir : dir + "/" + partitionPath;
    Path target = store.stagingDirectory(directory);
    String sql = "COPY (" + select + ") TO " + Sql.literal(target.toString())
        + " (FORMAT parquet, COMPRESSION " + compression + ", FIELD_IDS " + IcebergTypes.fieldIdsOption(schema)
        + ", FILE_SIZE_BYTES " + targetFileSizeBytes
        + ", FILENAME_PATTERN 'data_{uuid}', RETURN_STATS true, APPEND)";
    // RETURN_STATS: one row per file written, with its row count and its columns' statistics, so
    // the files need not be opened again to learn their metrics.
    List<String> paths = new ArrayList<>();
    List<Long> records = new ArrayList<>();
    List<Map<?, ?>> statistics = new ArrayList<>();
    try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        paths.add(rs.getString("filename"));
        records.add(rs.getLong("count"));
        statistics.add(rs.getObject("column_statistics") instanceof Map<?, ?> m ? m : Map.of());
      }
    }
    List<DataFileSpec> out = new ArrayList<>();
    try {
      for (int i = 0; i < paths.size(); i++) {
        String path = paths.get(i);
        Path local = Path.of(path);
        String location = directory + "/" + local.getFileName();
        if (records.get(i) == 0) {
          Files.deleteIfExists(local);
          continue;
        }
        long size = Files.size(local);
        DataFileSpec f = ParquetMetrics.fromCopyStatistics(path, size, records.get(i), statistics.get(i), schema)
            .orElse(null);
        if (f == null) {
          f = ParquetMetrics.read(connection, path, size, schema);
        }
        f = located(f, location);
        store.publish(path, location);
        out.add(partitionPath == null ? f : f.withPartitionPath(partitionPath));
      }
    } catch (IOException e) {
      discard(paths, directory);
      throw new UncheckedIOException("cannot read the written data file: " + e.getMessage(), e);
    } catch (SQLException | RuntimeException e) {
      discard(paths, directory);
      throw e;
    }
    return out;
  }

  /** Deletes every file of a failed COPY: staged copies and whatever was already published. */
  private void discard(List<String> paths, String directory) {
    for (String path : paths) {
      store.delete(directory + "/" + Path.of(path).getFileName());
    }
  }

  /** The same file's metrics under its final location. */
  private static DataFileSpec located(DataFileSpec f, String location) {
    return new DataFileSpec(location, f.format(), f.fileSizeInBytes(), f.recordCount(), f.partitionPath(),
        f.columnSizes(), f.valueCounts(), f.nullCounts(), f.lowerBounds(), f.upperBounds());
  }

  /**
   * Materializes the rows with their partition values (in Iceberg's representation) and a dense
   * partition number in a scratch catalog, then writes each partition with its own COPY.
   */
  private void writePartitioned(String projection, Schema schema, PartitionSpec spec, String dir,
      List<DataFileSpec> written) throws SQLException {
    List<PartitionField> fields = spec.fields();
    List<String> keys = new ArrayList<>();
    StringBuilder exprs = new StringBuilder();
    for (int i = 0; i < fields.size(); i++) {
      String key = Sql.ident("__tarn_p" + i);
      keys.add(key);
      exprs.append(", ").append(partitionExpression(schema, fields.get(i))).append(" AS ").append(key);
    }
    String keyList = String.join(", ", keys);
    String scratch = "tarn_write_" + UUID.randomUUID().toString().replace("-", "");
    String rows = Sql.qualified(scratch, "main", "rows");
    try (Statement s = connection.createStatement()) {
      s.execute("ATTACH ':memory:' AS " + Sql.ident(scratch));
      try {
        s.execute("CREATE TABLE " + rows + " AS SELECT *, dense_rank() OVER (ORDER BY " + keyList
            + ") AS __tarn_part FROM (SELECT __tarn_w.*" + exprs + " FROM (" + projection + ") AS __tarn_w)");
        List<Object[]> partitions = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("SELECT __tarn_part, " + keys.stream()
            .map(k -> "any_value(" + k + ")").reduce((a, b) -> a + ", " + b).orElseThrow()
            + " FROM " + rows + " GROUP BY __tarn_part ORDER BY __tarn_part")) {
          while (rs.next()) {
            Object[] p = new Object[fields.size() + 1];
            p[0] = rs.getLong(1);
            for (int i = 0; i < fields.size(); i++) {
              p[i + 1] = partitionValue(rs.getObject(i + 2), schema, spec, i);
            }
            partitions.add(p);
          }
        }
        String columns = String.join(", ",
            schema.columns().stream().map(f -> Sql.ident(f.name())).toList());
        for (Object[] p : partitions) {
          Object[] values = new Object[fields.size()];
          System.arraycopy(p, 1, values, 0, values.length);
          String directory = spec.partitionToPath(new Values(values));
          String path = catalogPartitionPath(schema, spec, values);
          for (DataFileSpec f : copy("SELECT " + columns + " FROM " + rows + " WHERE __tarn_part = " + p[0],
              schema, dir, directory)) {
            written.add(f.withPartitionPath(path));
          }
        }
      } finally {
        // on a statement of its own: DuckDB's JDBC driver closes a statement whose execution
        // failed, and detaching through it would replace DuckDB's error with "Statement was closed"
        try (Statement detach = connection.createStatement()) {
          detach.execute("DETACH " + Sql.ident(scratch));
        }
      }
    }
  }

  /** DuckDB SQL computing one partition field's value (Iceberg's representation) from a row. */
  static String partitionExpression(Schema schema, PartitionField field) {
    Types.NestedField source = schema.findField(field.sourceId());
    if (source == null) {
      throw new EngineException(Reason.INVALID, "partition field " + field.name() + " has no source column");
    }
    String col = "__tarn_w." + Sql.ident(source.name());
    Type type = source.type();
    String transform = field.transform().toString();
    boolean tz = type instanceof Types.TimestampType t && t.shouldAdjustToUTC();
    // the timestamp's wall clock in UTC, whatever the session's time zone
    String utc = switch (type.typeId()) {
      case DATE -> col;
      case TIMESTAMP -> tz ? "make_timestamp(epoch_us(" + col + "))" : col;
      default -> null;
    };
    if (utc != null && transform.matches("year|month|day|hour")) {
      // DuckDB's infinite dates and timestamps have no year, month, day or hour; Iceberg stores them
      // as the largest or smallest value, which its transforms would put in a partition of its own
      utc = "CASE WHEN isinf(" + col + ") THEN error('column " + source.name().replace("'", "''")
          + " holds an infinite " + (type.typeId() == Type.TypeID.DATE ? "date" : "timestamp")
          + ", which a table partitioned by " + transform + "(" + source.name().replace("'", "''")
          + ") cannot store') ELSE " + utc + " END";
    }
    switch (transform) {
      case "identity":
        return switch (type.typeId()) {
          case DATE -> "CAST(" + col + " - DATE '1970-01-01' AS INTEGER)";
          case TIMESTAMP -> "epoch_us(" + col + ")";
          case TIME -> "CAST(epoch_us(TIMESTAMP '1970-01-01' + " + col + ") AS BIGINT)";
          case UUID, DECIMAL -> "CAST(" + col + " AS VARCHAR)";
          case BOOLEAN, INTEGER, LONG, FLOAT, DOUBLE, STRING -> col;
          default -> throw unsupported(field, source);
        };
      case "year":
        requireTemporal(utc, field, source);
        return "CAST(year(" + utc + ") - 1970 AS INTEGER)";
      case "month":
        requireTemporal(utc, field, source);
        return "CAST((year(" + utc + ") - 1970) * 12 + month(" + utc + ") - 1 AS INTEGER)";
      case "day":
        requireTemporal(utc, field, source);
        // in whole days and hours: a DOUBLE of the microseconds rounds those past 2^53 (the years
        // after 2255 and before 1684) into the next day
        return "CAST(" + daysSinceEpoch(utc) + " AS INTEGER)";
      case "hour":
        if (type.typeId() != Type.TypeID.TIMESTAMP) {
          throw unsupported(field, source);
        }
        return "CAST(CAST(" + daysSinceEpoch(utc) + " AS BIGINT) * 24 + hour(" + utc + ") AS INTEGER)";
      case "void":
        return "CAST(NULL AS INTEGER)";
      default:
        break;
    }
    Matcher m = TRUNCATE.matcher(transform);
    if (m.matches()) {
      long width = Long.parseLong(m.group(1));
      return switch (type.typeId()) {
        case INTEGER, LONG -> "(" + col + " - (((" + col + " % " + width + ") + " + width + ") % " + width + "))";
        case STRING -> "substring(" + col + ", 1, " + width + ")";
        default -> throw unsupported(field, source);
      };
    }
    throw unsupported(field, source);
  }

  /** The days from 1970-01-01 to the date of {@code utc}, a date or a UTC wall clock. */
  private static String daysSinceEpoch(String utc) {
    return "(CAST(" + utc + " AS DATE) - DATE '1970-01-01')";
  }

  private static void requireTemporal(String utc, PartitionField field, Types.NestedField source) {
    if (utc == null) {
      throw unsupported(field, source);
    }
  }

  private static EngineException unsupported(PartitionField field, Types.NestedField source) {
    return new EngineException(Reason.INVALID, "Tarn cannot write tables partitioned by "
        + field.transform() + "(" + source.name() + ") of type " + source.type() + " yet");
  }

  /** A value read back from DuckDB as the partition field's Java representation. */
  private static Object partitionValue(Object v, Schema schema, PartitionSpec spec, int i) {
    if (v == null) {
      return null;
    }
    PartitionField field = spec.fields().get(i);
    Type source = schema.findType(field.sourceId());
    Type result = field.transform().getResultType(source);
    return switch (result.typeId()) {
      case INTEGER, DATE -> ((Number) v).intValue();
      case LONG, TIME, TIMESTAMP -> ((Number) v).longValue();
      case FLOAT -> ((Number) v).floatValue();
      case DOUBLE -> ((Number) v).doubleValue();
      case DECIMAL -> new BigDecimal(v.toString()).setScale(((Types.DecimalType) result).scale());
      case UUID -> UUID.fromString(v.toString());
      case STRING -> v.toString();
      case BOOLEAN -> (Boolean) v;
      default -> throw new EngineException(Reason.INVALID, "unsupported partition value type " + result);
    };
  }

  /** Iceberg's spelling of a null partition value in a partition path. */
  static final String NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__";

  /**
   * The partition path {@link DataFileSpec#partitionPath()} expects: {@code name=value} pairs that
   * Iceberg parses back by type ({@code DataFiles.Builder.withPartitionPath}): numbers as plain
   * numbers (year/month/hour/truncate results are ints, not their human forms), dates as {@code
   * yyyy-MM-dd}, nulls as {@value #NULL_PARTITION}; values are not URL-decoded, so a string value
   * holding a '/' cannot be expressed and fails clearly.
   */
  static String catalogPartitionPath(Schema schema, PartitionSpec spec, Object[] values) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < values.length; i++) {
      PartitionField field = spec.fields().get(i);
      Type result = field.transform().getResultType(schema.findType(field.sourceId()));
      Object v = values[i];
      String text;
      if (v == null) {
        text = NULL_PARTITION;
      } else {
        text = switch (result.typeId()) {
          case DATE -> java.time.LocalDate.ofEpochDay(((Number) v).longValue()).toString();
          case DECIMAL -> ((BigDecimal) v).toPlainString();
          case BOOLEAN, INTEGER, LONG, FLOAT, DOUBLE, UUID -> v.toString();
          case STRING -> {
            String str = v.toString();
            if (str.contains("/") || str.equals(NULL_PARTITION)) {
              throw new EngineException(Reason.INVALID, "partition value '" + str + "' of " + field.name()
                  + " cannot be stored yet (it contains '/')");
            }
            yield str;
          }
          default -> throw new EngineException(Reason.INVALID, "Tarn cannot write tables partitioned by "
              + field.transform() + " of a " + result + " column yet; partition by day(...) or hour(...) instead");
        };
      }
      if (i > 0) {
        b.append('/');
      }
      b.append(field.name()).append('=').append(text);
    }
    return b.toString();
  }

  private record Values(Object[] values) implements StructLike {
    @Override
    public int size() {
      return values.length;
    }

    @Override
    public <T> T get(int pos, Class<T> javaClass) {
      return javaClass.cast(values[pos]);
    }

    @Override
    public <T> void set(int pos, T value) {
      values[pos] = value;
    }
  }

  private static String stripSemicolons(String sql) {
    String s = sql.strip();
    while (s.endsWith(";")) {
      s = s.substring(0, s.length() - 1).strip();
    }
    return s;
  }

  static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int cut = message.indexOf("\n\n");
    return (cut < 0 ? message : message.substring(0, cut)).strip();
  }
}
