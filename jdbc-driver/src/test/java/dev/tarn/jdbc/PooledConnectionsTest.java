package dev.tarn.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * HikariCP, the pool most Java applications use, over the driver: it validates connections, sets
 * network timeouts and rolls back what a borrower left uncommitted when the connection returns.
 */
class PooledConnectionsTest {
  private static long count(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      assertTrue(rs.next());
      return rs.getLong(1);
    }
  }

  @Test
  void aPoolRollsBackWhatABorrowerLeftUncommitted() throws SQLException {
    try (TestServer server = TestServer.start()) {
      try (Connection c = server.connect(); Statement s = c.createStatement()) {
        s.executeUpdate("CREATE TABLE pooled (id INTEGER)");
      }
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl(server.url("/main"));
      config.setMaximumPoolSize(2);
      config.setAutoCommit(false);
      config.setPoolName("tarn-test");
      try (HikariDataSource pool = new HikariDataSource(config)) {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
          s.executeUpdate("INSERT INTO pooled VALUES (1)");
          // returned without commit
        }
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
          assertEquals(0, count(c, "SELECT count(*) FROM pooled"), "the pool rolled the insert back");
          s.executeUpdate("INSERT INTO pooled VALUES (2)");
          c.commit();
        }
        try (Connection a = pool.getConnection(); Connection b = pool.getConnection()) {
          assertEquals(1, count(a, "SELECT count(*) FROM pooled"));
          assertEquals(1, count(b, "SELECT count(*) FROM pooled"));
          assertEquals("main", a.getCatalog());
          a.commit();
          b.commit();
        }
      }
    }
  }
}
