package dev.tarn.executor.lakehouse;

import dev.tarn.executor.EngineException;
import dev.tarn.executor.EngineException.Reason;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Types;

/**
 * A private in-memory DuckDB table shaped like an Iceberg table, in its own attached catalog
 * {@code scratch_<uuid>}, detached (and so freed) on {@link #close()}. Statements that change a
 * lakehouse table run against it: INSERT into an empty scratch table then write its rows as new
 * data files; DELETE/UPDATE on a scratch table loaded with the table's current rows, each carrying
 * its source data file in the hidden column {@value #FILE_COLUMN}, so {@code RETURNING
 * __tarn_file} tells which files changed and must be rewritten; CTAS by writing the scratch rows.
 *
 * <p>The attachment is engine-wide, so any connection of the engine can use {@link #name()}, but
 * one statement at a time should change it.
 */
public final class ScratchTable implements AutoCloseable {
  /** The hidden column holding each loaded row's source data file path. */
  public static final String FILE_COLUMN = "__tarn_file";
  public static final String SCHEMA = "main";

  private final Connection connection;
  private final String catalogName;
  private final String tableName;
  private final Schema schema;
  private boolean withFileColumn;
  private boolean closed;

  private ScratchTable(Connection connection, String catalogName, String tableName, Schema schema) {
    this.connection = connection;
    this.catalogName = catalogName;
    this.tableName = tableName;
    this.schema = schema;
  }

  /** An empty scratch table {@code "scratch_<uuid>"."main"."<tableName>"} with the schema's columns. */
  public static ScratchTable create(Connection connection, String tableName, Schema schema) {
    String catalog = "scratch_" + UUID.randomUUID().toString().replace("-", "");
    ScratchTable t = new ScratchTable(connection, catalog, tableName, schema);
    t.execute("ATTACH ':memory:' AS " + Sql.ident(catalog));
    try {
      t.execute("CREATE TABLE " + t.name() + " (" + IcebergTypes.columnDefinitions(schema) + ")");
    } catch (RuntimeException e) {
      t.close();
      throw e;
    }
    return t;
  }

  /**
   * A scratch table holding the rows of {@code query} (CREATE TABLE AS), typed with the Iceberg
   * schema the query's columns map to ({@link IcebergTypes#toSchema}; an unsupported column type
   * fails here, naming the column). With {@code defaultCatalog} (an attached lakehouse commit
   * catalog), unqualified names in the query resolve there, in the connection's current schema.
   */
  public static ScratchTable fromQuery(Connection connection, String tableName, String query, String defaultCatalog) {
    String body = query.strip();
    while (body.endsWith(";")) {
      body = body.substring(0, body.length() - 1).strip();
    }
    if (defaultCatalog != null) {
      try (Statement s = connection.createStatement()) {
        String schema;
        try (ResultSet rs = s.executeQuery("SELECT current_schema()")) {
          rs.next();
          schema = rs.getString(1);
        }
        s.execute("USE " + Sql.ident(defaultCatalog) + "." + Sql.ident(schema));
      } catch (SQLException e) {
        throw new EngineException(Reason.INVALID, DataFileWriter.firstLine(e.getMessage()), e);
      }
    }
    Schema schema = IcebergTypes.toSchema(IcebergTypes.describe(connection, body));
    ScratchTable t = create(connection, tableName, schema);
    try {
      t.execute("INSERT INTO " + t.name() + " SELECT * FROM (" + body + "\n)");
    } catch (RuntimeException e) {
      t.close();
      throw e;
    }
    return t;
  }

  /**
   * A scratch table loaded with the rows of these data files (the table's current files), each row
   * with its file's path in {@value #FILE_COLUMN}.
   */
  public static ScratchTable loadedWith(Connection connection, String tableName, Schema schema, List<String> files) {
    ScratchTable t = create(connection, tableName, schema);
    try {
      t.execute("ALTER TABLE " + t.name() + " ADD COLUMN " + Sql.ident(FILE_COLUMN) + " VARCHAR");
      t.withFileColumn = true;
      if (!files.isEmpty()) {
        String columns = t.columnList();
        t.execute("INSERT INTO " + t.name() + " (" + columns + ", " + Sql.ident(FILE_COLUMN) + ") SELECT "
            + columns + ", " + Sql.ident(FILE_COLUMN) + " FROM read_parquet(" + Sql.stringList(files)
            + ", schema = " + IcebergTypes.readSchemaOption(schema)
            + ", filename = " + Sql.literal(FILE_COLUMN) + ")");
      }
    } catch (RuntimeException e) {
      t.close();
      throw e;
    }
    return t;
  }

  /** The quoted three-part name to use in SQL. */
  public String name() {
    return Sql.qualified(catalogName, SCHEMA, tableName);
  }

  public String catalogName() {
    return catalogName;
  }

  public Schema schema() {
    return schema;
  }

  /** Whether the table carries {@value #FILE_COLUMN}. */
  public boolean hasFileColumn() {
    return withFileColumn;
  }

  /** The table's data columns, quoted and comma separated (never {@value #FILE_COLUMN}). */
  public String columnList() {
    List<String> names = new ArrayList<>();
    for (Types.NestedField f : schema.columns()) {
      names.add(Sql.ident(f.name()));
    }
    return String.join(", ", names);
  }

  /** A query over the data columns, in the table's column order: what {@link DataFileWriter} writes. */
  public String selectRows() {
    return "SELECT " + columnList() + " FROM " + name();
  }

  /** A query over the data columns of the rows that came from these files (to rewrite them). */
  /**
   * The rows that came from {@code files}, and the rows added since it was loaded (those with no
   * file: a MERGE's inserts).
   */
  public String selectRowsFromOrNew(List<String> files) {
    if (!withFileColumn) {
      throw new IllegalStateException("the scratch table was not loaded with file paths");
    }
    String added = Sql.ident(FILE_COLUMN) + " IS NULL";
    return selectRows() + " WHERE " + (files.isEmpty() ? added
        : added + " OR " + Sql.ident(FILE_COLUMN) + " IN (SELECT unnest(" + Sql.stringList(files) + "))");
  }

  public String selectRowsFrom(List<String> files) {
    if (!withFileColumn) {
      throw new IllegalStateException("the scratch table was not loaded with file paths");
    }
    return selectRows() + " WHERE " + Sql.ident(FILE_COLUMN) + " IN (SELECT unnest(" + Sql.stringList(files) + "))";
  }

  /** The number of rows right now. */
  public long count() {
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM " + name())) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new EngineException(Reason.INVALID, DataFileWriter.firstLine(e.getMessage()), e);
    }
  }

  private void execute(String sql) {
    try (Statement s = connection.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new EngineException(Reason.INVALID, DataFileWriter.firstLine(e.getMessage()), e);
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try (Statement s = connection.createStatement()) {
      s.execute("DETACH DATABASE IF EXISTS " + Sql.ident(catalogName));
    } catch (SQLException ignored) {
      // a connection already closed took the attachment's last use with it
    }
  }
}
