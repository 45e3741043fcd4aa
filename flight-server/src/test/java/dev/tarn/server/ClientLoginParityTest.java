package dev.tarn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.server.ServerConfig.Credentials;
import dev.tarn.server.ServerConfig.TlsFiles;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both {@code tarn sql} clients reaching a server that requires TLS and a login, each in a process of its
 * own with its own environment: a password from a variable, a token from the command line or from
 * {@code TARN_TOKEN}, and the same refusals with the same messages and exit codes.
 */
class ClientLoginParityTest {
  private static final String PASSWORD = "s3cret-for-the-clients";

  @TempDir
  static Path dir;

  private static RunningServer server;
  private static String token;

  @BeforeAll
  static void start() throws Exception {
    ClientProcess.assumeGoClientBuilt();
    TlsFiles tls = TestCertificates.selfSigned(dir);
    server = RunningServer.start(c -> c.withTls(tls).withCredentials(new Credentials("admin", PASSWORD)));
    Properties login = new Properties();
    login.setProperty("user", "admin");
    login.setProperty("password", PASSWORD);
    try (Connection c = server.connect(login); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("CREATE TOKEN client_parity FOR USER admin")) {
      assertTrue(rs.next());
      token = rs.getString("secret");
    }
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static String tlsUrl() {
    return "grpc+tls://127.0.0.1:" + server.port();
  }

  /** Runs {@code tarn sql args} in both clients' processes and requires the same outcome. */
  private static Cli.Outcome same(Map<String, String> environment, String... args) {
    List<String> call = new ArrayList<>(List.of("sql"));
    call.addAll(List.of(args));
    String[] arguments = call.toArray(new String[0]);
    Cli.Outcome jvm = ClientProcess.jvm(environment, arguments);
    Cli.Outcome go = ClientProcess.go(environment, arguments);
    ClientProcess.assertSameOutcome(call, jvm, go, text -> text, text -> text);
    return go;
  }

  @Test
  void aPasswordFromAVariableAndTokensLogIn() {
    Cli.Outcome password = same(Map.of("PARITY_PASSWORD", PASSWORD), "--url", tlsUrl(), "--tls-skip-verify",
        "--user", "admin", "--password-env", "PARITY_PASSWORD", "--format", "csv", "-e", "SELECT 42 AS answer");
    assertEquals("answer\n42\n", password.out(), password.err());
    Cli.Outcome flag = same(Map.of(), "--url", tlsUrl(), "--tls-skip-verify", "--token", token, "--format", "csv",
        "-e", "SELECT 43 AS answer");
    assertEquals("answer\n43\n", flag.out(), flag.err());
    Cli.Outcome variable = same(Map.of("TARN_TOKEN", " " + token + "\n"), "--url", tlsUrl(), "--tls-skip-verify",
        "--format", "csv", "-e", "SELECT 44 AS answer");
    assertEquals("answer\n44\n", variable.out(), variable.err());
    Cli.Outcome jdbcUrl = same(Map.of("TARN_TOKEN", token), "--url",
        "jdbc:arrow-flight-sql://127.0.0.1:" + server.port() + "/?useEncryption=true", "--tls-skip-verify",
        "--format", "csv", "-e", "SELECT 45 AS answer");
    assertEquals("answer\n45\n", jdbcUrl.out(), jdbcUrl.err());
    Cli.Outcome userWins = same(Map.of("TARN_TOKEN", "not-a-token", "PARITY_PASSWORD", PASSWORD), "--url", tlsUrl(),
        "--tls-skip-verify", "--user", "admin", "--password-env", "PARITY_PASSWORD", "--format", "csv",
        "-e", "SELECT 46 AS answer");
    assertEquals("answer\n46\n", userWins.out(), userWins.err());
  }

  @Test
  void refusalsAreTheSame() {
    Cli.Outcome wrongPassword = same(Map.of("PARITY_PASSWORD", "wrong"), "--url", tlsUrl(), "--tls-skip-verify",
        "--user", "admin", "--password-env", "PARITY_PASSWORD", "-e", "SELECT 1");
    assertEquals(1, wrongPassword.exit());
    Cli.Outcome noLogin = same(Map.of(), "--url", tlsUrl(), "--tls-skip-verify", "-e", "SELECT 1");
    assertEquals(1, noLogin.exit());
    assertTrue(noLogin.err().contains("UNAUTHENTICATED"), noLogin.err());
    Cli.Outcome badToken = same(Map.of(), "--url", tlsUrl(), "--tls-skip-verify", "--token", "tarn_nope", "-e", "SELECT 1");
    assertEquals(1, badToken.exit());
    Cli.Outcome both = same(Map.of(), "--url", tlsUrl(), "--tls-skip-verify", "--user", "admin", "--token", token,
        "-e", "SELECT 1");
    assertEquals("error: give either --user or --token, not both\n", both.err());
    Cli.Outcome unset = same(Map.of(), "--url", tlsUrl(), "--tls-skip-verify", "--user", "admin",
        "--password-env", "PARITY_UNSET", "-e", "SELECT 1");
    assertEquals("error: the environment variable PARITY_UNSET is not set\n", unset.err());
  }

  @Test
  void aSchemeInCapitalsStillMeansTls() {
    Cli.Outcome upper = same(Map.of("TARN_TOKEN", token), "--url", "GRPC+TLS://127.0.0.1:" + server.port(),
        "--tls-skip-verify", "--format", "csv", "-e", "SELECT 47 AS answer");
    assertEquals("answer\n47\n", upper.out(), upper.err());
  }

  @Test
  void anUnverifiedCertificateOrPlainTextFailsBoth() {
    for (String url : List.of(tlsUrl(), "grpc://127.0.0.1:" + server.port(), "GRPC://127.0.0.1:" + server.port())) {
      Cli.Outcome jvm = ClientProcess.jvm(Map.of("TARN_TOKEN", token), "sql", "--url", url, "-e", "SELECT 1");
      Cli.Outcome go = ClientProcess.go(Map.of("TARN_TOKEN", token), "sql", "--url", url, "-e", "SELECT 1");
      assertEquals(1, jvm.exit(), jvm.err());
      assertEquals(1, go.exit(), go.err());
      assertTrue(go.err().startsWith("error in statement 1 of 1:\n  SELECT 1\nUNAVAILABLE: "), go.err());
      assertTrue(jvm.err().startsWith("error in statement 1 of 1:\n  SELECT 1\nUNAVAILABLE: "), jvm.err());
    }
  }
}
