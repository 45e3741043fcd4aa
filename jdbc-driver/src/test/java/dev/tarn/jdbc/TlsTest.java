package dev.tarn.jdbc;

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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS with a self-signed certificate: trusted by file, refused when not trusted, refused in plain. */
class TlsTest {
  @Test
  void connectsOverTlsTrustingTheGivenCertificate(@TempDir Path dir) throws Exception {
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
        "-keyout", key.toString(), "-out", cert.toString(), "-days", "1", "-subj", "/CN=localhost",
        "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost").redirectErrorStream(true).start();
    assertTrue(openssl.waitFor(60, TimeUnit.SECONDS) && openssl.exitValue() == 0,
        "openssl could not make a test certificate: " + new String(openssl.getInputStream().readAllBytes()));

    try (TestServer server = TestServer.start(c -> c.withTls(new TlsFiles(cert, key)))) {
      String trusted = server.url("?tls=true&trustedCertificates=" + cert.toUri().getPath());
      try (Connection c = DriverManager.getConnection(trusted); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT 'secret' AS word")) {
        assertTrue(rs.next());
        assertEquals("secret", rs.getString(1));
      }
      assertThrows(SQLException.class, () -> DriverManager.getConnection(server.url("?tls=true")).close(),
          "a self-signed certificate the JVM does not trust is refused");
      assertThrows(SQLException.class, () -> DriverManager.getConnection(server.url("")).close(),
          "plain gRPC to a TLS server fails at connect");
    }
  }
}
