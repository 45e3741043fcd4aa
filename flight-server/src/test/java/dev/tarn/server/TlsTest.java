package dev.tarn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.server.ServerConfig.TlsFiles;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS with a given certificate and key: encrypted clients get in, plain ones do not. */
class TlsTest {

  @Test
  void servesJdbcOverTlsAndRefusesPlainConnections(@TempDir Path dir) throws Exception {
    TlsFiles tls = TestCertificates.selfSigned(dir);
    try (RunningServer server = RunningServer.start(c -> c.withTls(tls))) {
      String tlsUrl = "jdbc:arrow-flight-sql://127.0.0.1:" + server.port()
          + "/?useEncryption=true&disableCertificateVerification=true";
      assertEquals(tlsUrl, server.jdbcUrl());
      try (Connection c = DriverManager.getConnection(tlsUrl); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT 'secret' AS word")) {
        assertTrue(rs.next());
        assertEquals("secret", rs.getString(1));
      }
      String plainUrl = "jdbc:arrow-flight-sql://127.0.0.1:" + server.port() + "/?useEncryption=false";
      assertThrows(SQLException.class, () -> {
        try (Connection c = DriverManager.getConnection(plainUrl); Statement s = c.createStatement()) {
          s.executeQuery("SELECT 1");
        }
      });
    }
  }
}
