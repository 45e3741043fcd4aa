package dev.tarn.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.server.ServerConfig.Credentials;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Logins fail at connect, with messages that say what was wrong. */
class AuthenticationTest {
  @Test
  void refusedLoginsAreNamedAtConnect() throws SQLException {
    try (TestServer server = TestServer.start(c -> c.withCredentials(new Credentials("analyst", "s3cret")))) {
      String address = "127.0.0.1:" + server.port();
      SQLException wrong = assertThrows(SQLException.class,
          () -> server.connect("?user=analyst&password=guess").close());
      assertEquals("wrong user or password for user analyst at " + address, wrong.getMessage());
      assertEquals("28000", wrong.getSQLState());

      SQLException token = assertThrows(SQLException.class, () -> server.connect("?token=not-a-token").close());
      assertTrue(token.getMessage().startsWith("token refused by the Tarn server at " + address), token.getMessage());

      SQLException none = assertThrows(SQLException.class, () -> server.connect().close());
      assertTrue(none.getMessage().contains("requires a login"), none.getMessage());

      Properties right = new Properties();
      right.setProperty("user", "analyst");
      right.setProperty("password", "s3cret");
      try (Connection c = DriverManager.getConnection(server.url(""), right); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT 7")) {
        assertTrue(rs.next());
        assertEquals(7, rs.getInt(1));
        assertEquals("analyst", c.getMetaData().getUserName());
      }
    }
  }

  @Test
  void badUrlsAreRefusedWithTheReason() {
    SQLException option = assertThrows(SQLException.class,
        () -> DriverManager.getConnection("jdbc:tarn://127.0.0.1:1?colour=blue"));
    assertTrue(option.getMessage().contains("unknown URL option 'colour'"), option.getMessage());
    SQLException port = assertThrows(SQLException.class,
        () -> DriverManager.getConnection("jdbc:tarn://127.0.0.1:99999"));
    assertTrue(port.getMessage().contains("99999"), port.getMessage());
    SQLException unreachable = assertThrows(SQLException.class,
        () -> DriverManager.getConnection("jdbc:tarn://127.0.0.1:1"));
    assertTrue(unreachable.getMessage().contains("127.0.0.1:1"), unreachable.getMessage());
  }
}
