package dev.tarn.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.server.ServerConfig;
import java.net.URI;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** {@code tarn serve} configured by TARN_SERVE_* variables, as a container is; flags still win. */
class EnvironmentDefaultsTest {

  private static ServeCommand parse(Map<String, String> environment, String... args) {
    ServeCommand serve = new ServeCommand();
    new CommandLine(serve).setDefaultValueProvider(new EnvironmentDefaults(environment)).parseArgs(args);
    return serve;
  }

  @Test
  void variablesConfigureTheServerLikeFlags() {
    ServerConfig config = parse(Map.of(
        "TARN_SERVE_HOST", "0.0.0.0",
        "TARN_SERVE_PORT", "40001",
        "TARN_SERVE_METRICS_PORT", "-1",
        "TARN_SERVE_WAREHOUSE", "s3://lake/tables",
        "TARN_SERVE_S3_ENDPOINT", "http://minio:9000",
        "TARN_SERVE_S3_PATH_STYLE", "true",
        "TARN_SERVE_CATALOG_URI", "http://nessie:19120/api/v2",
        "TARN_SERVE_MAX_SESSIONS", "7")).toConfig();
    assertEquals("0.0.0.0", config.host());
    assertEquals(40001, config.port());
    assertEquals(-1, config.metricsPort());
    assertEquals(URI.create("http://nessie:19120/api/v2"), config.catalogUri().orElseThrow());
    assertEquals(7, config.sessionLimits().maxSessions());
    var storage = config.objectStorage().orElseThrow();
    assertEquals(URI.create("http://minio:9000"), storage.s3().endpoint().orElseThrow());
    assertTrue(storage.s3().pathStyle());
  }

  @Test
  void aFlagWinsOverItsVariableAndEmptyVariablesCountAsUnset() {
    ServeCommand serve = parse(Map.of("TARN_SERVE_PORT", "40001", "TARN_SERVE_HOST", "", "TARN_SERVE_THREADS", "3"),
        "--port", "40002");
    assertEquals(40002, serve.port);
    assertEquals("127.0.0.1", serve.host);
    assertEquals(3, serve.threads);
    ServeCommand none = parse(Map.of());
    assertEquals(ServerConfig.DEFAULT_PORT, none.port);
    assertFalse(none.s3PathStyle);
  }

  @Test
  void helpAndVersionAreNeverTurnedOnByTheEnvironment() {
    CommandLine commandLine = new CommandLine(new ServeCommand())
        .setDefaultValueProvider(new EnvironmentDefaults(Map.of("TARN_SERVE_HELP", "true", "TARN_SERVE_VERSION", "true")));
    commandLine.parseArgs();
    assertFalse(commandLine.isUsageHelpRequested());
    assertFalse(commandLine.isVersionHelpRequested());
  }

  @Test
  void aBadValueIsRefusedNamingTheOption() {
    CommandLine.ParameterException e = assertThrows(CommandLine.ParameterException.class,
        () -> parse(Map.of("TARN_SERVE_PORT", "31337x")));
    assertTrue(e.getMessage().contains("--port") && e.getMessage().contains("31337x"), e.getMessage());
  }

  @Test
  void everyOptionHasItsOwnVariable() {
    Set<String> variables = new HashSet<>();
    for (OptionSpec option : new CommandLine(new ServeCommand()).getCommandSpec().options()) {
      String variable = EnvironmentDefaults.variableFor(option.longestName());
      assertTrue(variable.matches("TARN_SERVE_[A-Z0-9_]+"), variable);
      assertTrue(variables.add(variable), "two options share " + variable);
    }
    assertTrue(variables.contains("TARN_SERVE_S3_ACCESS_KEY_ENV"), variables.toString());
  }
}
