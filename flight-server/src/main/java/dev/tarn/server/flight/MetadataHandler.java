package dev.tarn.server.flight;

import dev.tarn.executor.ExecutionResult;
import dev.tarn.executor.RowStream;
import dev.tarn.server.session.Session;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.flight.FlightProducer.ServerStreamListener;
import org.apache.arrow.flight.sql.FlightSqlProducer.Schemas;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandGetDbSchemas;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandGetPrimaryKeys;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandGetTables;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandGetXdbcTypeInfo;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.vector.util.Text;

/**
 * Answers the catalog browsing calls BI tools make on connect: catalogs, schemas, tables (with
 * their Arrow schemas), table types, keys and type info, read from DuckDB's own catalog functions.
 */
final class MetadataHandler {
  private static final String USER_CATALOGS = "SELECT database_name FROM duckdb_databases() WHERE NOT internal";
  private final BufferAllocator allocator;

  MetadataHandler(BufferAllocator allocator) {
    this.allocator = allocator;
  }

  void catalogs(Session session, ServerStreamListener listener) {
    List<Object[]> rows = query(session, USER_CATALOGS + " ORDER BY 1", List.of());
    send(listener, Schemas.GET_CATALOGS_SCHEMA, rows);
  }

  void schemas(Session session, CommandGetDbSchemas command, ServerStreamListener listener) {
    List<Object> params = new ArrayList<>();
    StringBuilder sql = new StringBuilder(
        "SELECT database_name, schema_name FROM duckdb_schemas() WHERE database_name IN (" + USER_CATALOGS + ")");
    if (command.hasCatalog()) {
      sql.append(" AND database_name = ?");
      params.add(command.getCatalog());
    }
    if (command.hasDbSchemaFilterPattern()) {
      sql.append(" AND schema_name LIKE ? ESCAPE '\\'");
      params.add(command.getDbSchemaFilterPattern());
    }
    sql.append(" ORDER BY 1, 2");
    send(listener, Schemas.GET_SCHEMAS_SCHEMA, query(session, sql.toString(), params));
  }

  void tables(Session session, CommandGetTables command, ServerStreamListener listener) {
    List<Object> params = new ArrayList<>();
    StringBuilder sql = new StringBuilder("SELECT * FROM ("
        + "SELECT database_name, schema_name, table_name, 'TABLE' AS table_type FROM duckdb_tables() WHERE NOT internal"
        + " UNION ALL SELECT database_name, schema_name, view_name, 'VIEW' FROM duckdb_views() WHERE NOT internal"
        + ") WHERE database_name IN (" + USER_CATALOGS + ")");
    if (command.hasCatalog()) {
      sql.append(" AND database_name = ?");
      params.add(command.getCatalog());
    }
    if (command.hasDbSchemaFilterPattern()) {
      sql.append(" AND schema_name LIKE ? ESCAPE '\\'");
      params.add(command.getDbSchemaFilterPattern());
    }
    if (command.hasTableNameFilterPattern()) {
      sql.append(" AND table_name LIKE ? ESCAPE '\\'");
      params.add(command.getTableNameFilterPattern());
    }
    if (command.getTableTypesCount() > 0) {
      sql.append(" AND table_type IN (");
      for (int i = 0; i < command.getTableTypesCount(); i++) {
        sql.append(i == 0 ? "?" : ", ?");
        params.add(command.getTableTypes(i));
      }
      sql.append(")");
    }
    sql.append(" ORDER BY table_type, database_name, schema_name, table_name");
    List<Object[]> rows = query(session, sql.toString(), params);
    if (!command.getIncludeSchema()) {
      send(listener, Schemas.GET_TABLES_SCHEMA_NO_SCHEMA, rows);
      return;
    }
    List<Object[]> withSchemas = new ArrayList<>();
    for (Object[] row : rows) {
      Schema schema = session.engine().describe("SELECT * FROM " + quote((String) row[0]) + "."
          + quote((String) row[1]) + "." + quote((String) row[2])).resultSchema();
      withSchemas.add(new Object[] {row[0], row[1], row[2], row[3], schema.serializeAsMessage()});
    }
    send(listener, Schemas.GET_TABLES_SCHEMA, withSchemas);
  }

  void tableTypes(ServerStreamListener listener) {
    send(listener, Schemas.GET_TABLE_TYPES_SCHEMA, List.of(new Object[] {"TABLE"}, new Object[] {"VIEW"}));
  }

  void primaryKeys(Session session, CommandGetPrimaryKeys command, ServerStreamListener listener) {
    List<Object> params = new ArrayList<>();
    StringBuilder sql = new StringBuilder("SELECT database_name, schema_name, table_name, column_name,"
        + " CAST(key_sequence AS INTEGER), constraint_name FROM ("
        + "SELECT database_name, schema_name, table_name, constraint_name,"
        + " unnest(constraint_column_names) AS column_name,"
        + " generate_subscripts(constraint_column_names, 1) AS key_sequence"
        + " FROM duckdb_constraints() WHERE constraint_type = 'PRIMARY KEY') WHERE table_name = ?");
    params.add(command.getTable());
    if (command.hasCatalog()) {
      sql.append(" AND database_name = ?");
      params.add(command.getCatalog());
    }
    if (command.hasDbSchema()) {
      sql.append(" AND schema_name = ?");
      params.add(command.getDbSchema());
    }
    sql.append(" ORDER BY key_sequence");
    send(listener, Schemas.GET_PRIMARY_KEYS_SCHEMA, query(session, sql.toString(), params));
  }

  /**
   * Foreign keys: lakehouse tables have none, so imported keys, exported keys and cross references
   * are well-formed empty results.
   */
  void noForeignKeys(Schema schema, ServerStreamListener listener) {
    send(listener, schema, List.of());
  }

  void typeInfo(CommandGetXdbcTypeInfo command, ServerStreamListener listener) {
    List<Object[]> rows = new ArrayList<>();
    for (Object[] row : TYPES) {
      if (!command.hasDataType() || command.getDataType() == (Integer) row[1]) {
        rows.add(row);
      }
    }
    send(listener, Schemas.GET_TYPE_INFO_SCHEMA, rows);
  }

  // type_name, data_type, column_size, literal_prefix, literal_suffix, create_params, nullable,
  // case_sensitive, searchable, unsigned_attribute, fixed_prec_scale, auto_increment,
  // local_type_name, minimum_scale, maximum_scale, sql_data_type, datetime_subcode,
  // num_prec_radix, interval_precision
  private static final List<Object[]> TYPES = List.of(
      type("BOOLEAN", Types.BOOLEAN, 1, null, null, List.of(), false, null),
      type("TINYINT", Types.TINYINT, 3, null, null, List.of(), false, 10),
      type("SMALLINT", Types.SMALLINT, 5, null, null, List.of(), false, 10),
      type("INTEGER", Types.INTEGER, 10, null, null, List.of(), false, 10),
      type("BIGINT", Types.BIGINT, 19, null, null, List.of(), false, 10),
      type("HUGEINT", Types.NUMERIC, 38, null, null, List.of(), false, 10),
      type("FLOAT", Types.REAL, 7, null, null, List.of(), false, 2),
      type("DOUBLE", Types.DOUBLE, 15, null, null, List.of(), false, 2),
      type("DECIMAL", Types.DECIMAL, 38, null, null, List.of("precision", "scale"), true, 10),
      type("VARCHAR", Types.VARCHAR, Integer.MAX_VALUE, "'", "'", List.of(), true, null),
      type("BLOB", Types.VARBINARY, Integer.MAX_VALUE, "'", "'::BLOB", List.of(), false, null),
      type("DATE", Types.DATE, 10, "DATE '", "'", List.of(), false, null),
      type("TIME", Types.TIME, 15, "TIME '", "'", List.of(), false, null),
      type("TIMESTAMP", Types.TIMESTAMP, 26, "TIMESTAMP '", "'", List.of(), false, null),
      type("TIMESTAMP WITH TIME ZONE", Types.TIMESTAMP_WITH_TIMEZONE, 32, "TIMESTAMPTZ '", "'", List.of(), false,
          null),
      type("UUID", Types.OTHER, 36, "'", "'::UUID", List.of(), false, null),
      type("LIST", Types.ARRAY, null, null, null, List.of(), false, null),
      type("STRUCT", Types.STRUCT, null, null, null, List.of(), false, null));

  private static Object[] type(String name, int jdbcType, Integer size, String prefix, String suffix,
      List<String> createParams, boolean caseSensitiveOrScaled, Integer radix) {
    boolean isText = jdbcType == Types.VARCHAR;
    boolean searchable = jdbcType != Types.ARRAY && jdbcType != Types.STRUCT;
    return new Object[] {
        name, jdbcType, size, prefix, suffix, createParams,
        1, // columnNullable
        isText, searchable ? 3 : 0, radix == null ? null : Boolean.FALSE,
        jdbcType == Types.DECIMAL && caseSensitiveOrScaled,
        Boolean.FALSE, name,
        jdbcType == Types.DECIMAL ? 0 : null, jdbcType == Types.DECIMAL ? 38 : null,
        jdbcType, null, radix, null};
  }

  private static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  private List<Object[]> query(Session session, String sql, List<Object> params) {
    List<Object[]> rows = new ArrayList<>();
    try (BufferAllocator child = allocator.newChildAllocator("metadata", 0, Long.MAX_VALUE)) {
      ExecutionResult result = session.engine().newExecution(sql, params, child).run();
      try (RowStream stream = (RowStream) result) {
        while (stream.next()) {
          VectorSchemaRoot root = stream.root();
          List<FieldVector> vectors = root.getFieldVectors();
          for (int r = 0; r < root.getRowCount(); r++) {
            Object[] row = new Object[vectors.size()];
            for (int c = 0; c < vectors.size(); c++) {
              Object value = vectors.get(c).getObject(r);
              row[c] = value instanceof Text text ? text.toString() : value;
            }
            rows.add(row);
          }
        }
      }
    }
    return rows;
  }

  private void send(ServerStreamListener listener, Schema schema, List<Object[]> rows) {
    try (VectorSchemaRoot root = Rows.fill(schema, rows, allocator)) {
      listener.start(root);
      listener.putNext();
      listener.completed();
    }
  }
}
