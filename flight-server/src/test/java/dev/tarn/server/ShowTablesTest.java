package dev.tarn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * DuckDB's {@code SHOW TABLES} over the lakehouse lists every table at the session's commit, also
 * ones no statement has read yet, through the stock Flight SQL JDBC driver; reading tables after a
 * listing still reads their data.
 */
class ShowTablesTest {

  @Test
  void showTablesListsEveryTableOfTheCommitAtOnce() throws Exception {
    try (RunningServer server = RunningServer.start(); Connection c = server.connect();
        Statement s = c.createStatement()) {
      s.executeUpdate("CREATE TABLE orders (id BIGINT)");
      s.executeUpdate("CREATE TABLE \"ünï 🚀\" (id BIGINT)");
      s.executeUpdate("CREATE SCHEMA sales");
      s.executeUpdate("CREATE TABLE sales.leads (id BIGINT)");
      assertEquals(List.of("orders", "ünï 🚀"), names(s, "SHOW TABLES"), "each CREATE made a new commit");
      assertEquals(List.of("leads"), names(s, "/* listing */ show tables FROM sales"));
      s.executeUpdate("INSERT INTO orders VALUES (1)");
      assertEquals(List.of("orders", "ünï 🚀"), names(s, "SHOW TABLES"), "and the commit the INSERT made");
      assertEquals(List.of("1"), names(s, "SELECT count(*) FROM orders"), "the listing left the real tables as they were");
      s.executeUpdate("CREATE SCHEMA empty");
      assertEquals(List.of(), names(s, "SHOW TABLES FROM empty"));
      assertEquals(List.of("orders", "ünï 🚀"), names(s, "SHOW TABLES"));
      s.executeUpdate("INSERT INTO orders VALUES (2)");
      assertEquals(List.of("id"), names(s, "SHOW orders"), "SHOW of one table, right after a commit");
    }
  }

  @Test
  void aListingOpensNoDataFile() throws Exception {
    try (RunningServer server = RunningServer.start(); Connection c = server.connect();
        Statement s = c.createStatement()) {
      s.executeUpdate("CREATE SCHEMA sales");
      s.executeUpdate("CREATE TABLE sales.leads AS SELECT range AS id FROM range(10)");
      for (Path file : server.dataFiles()) {
        Files.write(file, new byte[] {1, 2, 3});
      }
      assertEquals(List.of("leads"), names(s, "SHOW TABLES FROM sales"), "listed though its file is broken");
      assertEquals(List.of("leads"), names(s, "SHOW TABLES FROM \"sales\";"));
    }
  }

  private static List<String> names(Statement s, String sql) throws SQLException {
    List<String> names = new ArrayList<>();
    try (ResultSet rows = s.executeQuery(sql)) {
      while (rows.next()) {
        names.add(rows.getString(1));
      }
    }
    names.sort(null);
    return names;
  }
}
