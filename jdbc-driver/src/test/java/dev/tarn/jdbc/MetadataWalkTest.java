package dev.tarn.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What DBeaver does on connect and while browsing: product facts, then catalogs (branches and
 * tags), schemas, tables, columns and keys of each, type info for the editor, keywords and functions.
 */
class MetadataWalkTest {
  private static TestServer server;

  @BeforeAll
  static void start() throws SQLException {
    server = TestServer.start();
    try (Connection c = server.connect(); Statement s = c.createStatement()) {
      s.executeUpdate("CREATE SCHEMA sales");
      s.executeUpdate("CREATE TABLE sales.orders (id BIGINT, amount DECIMAL(12,2), placed TIMESTAMPTZ,"
          + " tags VARCHAR[], address STRUCT(city VARCHAR, zip INTEGER))");
      s.executeUpdate("CREATE TABLE public.notes (\"Body Text\" VARCHAR)");
      s.executeUpdate("CREATE TAG v1");
      s.executeUpdate("CREATE BRANCH dev");
      s.executeUpdate("CREATE TABLE dev.sales.only_on_dev (x INTEGER)");
    }
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static List<Map<String, Object>> rows(ResultSet rs) throws SQLException {
    try (rs) {
      ResultSetMetaData meta = rs.getMetaData();
      List<Map<String, Object>> rows = new ArrayList<>();
      while (rs.next()) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          row.put(meta.getColumnName(i), rs.getObject(i));
        }
        rows.add(row);
      }
      return rows;
    }
  }

  private static List<Object> column(ResultSet rs, String name) throws SQLException {
    return rows(rs).stream().map(row -> row.get(name)).toList();
  }

  private static List<String> columnNames(ResultSet rs) throws SQLException {
    try (rs) {
      List<String> names = new ArrayList<>();
      for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
        names.add(rs.getMetaData().getColumnName(i));
      }
      return names;
    }
  }

  @Test
  void walkFromCatalogsToColumnsAndKeys() throws SQLException {
    try (Connection c = server.connect()) {
      DatabaseMetaData meta = c.getMetaData();
      assertEquals("Tarn", meta.getDatabaseProductName());
      assertFalse(meta.getDatabaseProductVersion().isEmpty());
      assertEquals("Tarn JDBC driver", meta.getDriverName());
      assertEquals(server.url(""), meta.getURL());
      assertEquals("branch", meta.getCatalogTerm());

      assertEquals(List.of("dev", "main", "v1"), column(meta.getCatalogs(), "TABLE_CAT"));
      assertEquals(List.of("TABLE_SCHEM", "TABLE_CATALOG"), columnNames(meta.getSchemas()));
      List<Map<String, Object>> schemas = rows(meta.getSchemas("main", null));
      assertTrue(schemas.contains(Map.of("TABLE_SCHEM", "sales", "TABLE_CATALOG", "main")), schemas.toString());
      assertEquals(List.of("sales"), column(meta.getSchemas("main", "sa%"), "TABLE_SCHEM"));

      assertEquals(List.of("TABLE", "VIEW"), column(meta.getTableTypes(), "TABLE_TYPE"));
      assertEquals(List.of("orders"), column(meta.getTables("main", "sales", "%", new String[] {"TABLE"}),
          "TABLE_NAME"));
      assertEquals(List.of("only_on_dev", "orders"), column(meta.getTables("dev", "sales", null, null),
          "TABLE_NAME"), "in JDBC's order");
      assertEquals(10, columnNames(meta.getTables(null, null, null, null)).size());

      List<Map<String, Object>> columns = rows(meta.getColumns("main", "sales", "orders", null));
      assertEquals(List.of("id", "amount", "placed", "tags", "address"),
          columns.stream().map(row -> row.get("COLUMN_NAME")).toList());
      Map<String, Object> amount = columns.get(1);
      assertEquals(Types.DECIMAL, amount.get("DATA_TYPE"));
      assertEquals("DECIMAL(12,2)", amount.get("TYPE_NAME"));
      assertEquals(12, amount.get("COLUMN_SIZE"));
      assertEquals(2, amount.get("DECIMAL_DIGITS"));
      assertEquals(2, amount.get("ORDINAL_POSITION"));
      assertEquals("YES", amount.get("IS_NULLABLE"));
      assertTrue(amount.containsKey("REMARKS"));
      assertEquals(Types.TIMESTAMP_WITH_TIMEZONE, columns.get(2).get("DATA_TYPE"));
      assertEquals(Types.ARRAY, columns.get(3).get("DATA_TYPE"));
      assertEquals("VARCHAR[]", columns.get(3).get("TYPE_NAME"));
      assertEquals(Types.STRUCT, columns.get(4).get("DATA_TYPE"));
      assertEquals(24, columns.get(0).size(), "getColumns has JDBC's 24 columns");
      assertEquals(List.of("Body Text"), column(meta.getColumns("main", "public", "notes", "Body%"),
          "COLUMN_NAME"));

      // keys and indexes: none declared, answers well-formed
      assertEquals(List.of("TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "COLUMN_NAME", "KEY_SEQ", "PK_NAME"),
          columnNames(meta.getPrimaryKeys("main", "sales", "orders")));
      assertEquals(List.of(), rows(meta.getPrimaryKeys("main", "sales", "orders")));
      assertEquals(14, columnNames(meta.getImportedKeys("main", "sales", "orders")).size());
      assertEquals(List.of(), rows(meta.getImportedKeys("main", "sales", "orders")));
      assertEquals(List.of(), rows(meta.getExportedKeys("main", "sales", "orders")));
      assertEquals(List.of(), rows(meta.getCrossReference("main", "sales", "orders", "main", "sales", "orders")));
      assertEquals(13, columnNames(meta.getIndexInfo("main", "sales", "orders", false, true)).size());
      assertEquals(9, columnNames(meta.getProcedures(null, null, null)).size());
      assertEquals(6, columnNames(meta.getFunctions(null, null, null)).size());
    }
  }

  @Test
  void typeInfoComesFromTheServer() throws SQLException {
    try (Connection c = server.connect()) {
      List<Map<String, Object>> types = rows(c.getMetaData().getTypeInfo());
      List<Object> names = types.stream().map(row -> row.get("TYPE_NAME")).toList();
      assertTrue(names.containsAll(List.of("BIGINT", "VARCHAR", "DECIMAL", "TIMESTAMP WITH TIME ZONE", "STRUCT")),
          names.toString());
      assertEquals(18, types.get(0).size(), "getTypeInfo has JDBC's 18 columns");
      List<Integer> dataTypes = types.stream().map(row -> (Integer) row.get("DATA_TYPE")).toList();
      assertEquals(dataTypes.stream().sorted().toList(), dataTypes, "ordered by DATA_TYPE");
      Map<String, Object> decimal = types.stream().filter(row -> row.get("TYPE_NAME").equals("DECIMAL")).findFirst()
          .orElseThrow();
      assertEquals("precision,scale", decimal.get("CREATE_PARAMS"));
      assertEquals(38, decimal.get("PRECISION"));
    }
  }

  @Test
  void dialectFactsForTheSqlEditor() throws SQLException {
    try (Connection c = server.connect()) {
      DatabaseMetaData meta = c.getMetaData();
      assertEquals("\"", meta.getIdentifierQuoteString());
      assertTrue(List.of(meta.getSQLKeywords().split(",")).containsAll(List.of("PRAGMA", "BRANCH", "QUALIFY")),
          meta.getSQLKeywords());
      assertTrue(meta.getNumericFunctions().contains("ABS"));
      assertTrue(meta.getStringFunctions().contains("SUBSTRING"));
      assertTrue(meta.getTimeDateFunctions().contains("DATE_TRUNC"));
      assertTrue(meta.getSystemFunctions().contains("COALESCE"));
      assertEquals("\\", meta.getSearchStringEscape());
      assertTrue(meta.storesMixedCaseIdentifiers());
      assertFalse(meta.storesUpperCaseIdentifiers());
      assertTrue(meta.supportsTransactions());
      assertEquals(Connection.TRANSACTION_SERIALIZABLE, meta.getDefaultTransactionIsolation());
      assertTrue(meta.nullsAreSortedAtEnd());
      assertFalse(meta.isReadOnly());
    }
  }
}
