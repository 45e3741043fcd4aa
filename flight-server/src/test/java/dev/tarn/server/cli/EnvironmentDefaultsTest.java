package dev.tarn.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code tarn serve} options from TARN_* environment variables, as a container sets them. */
class EnvironmentDefaultsTest {

  private static ServeCommand parse(Map<String, String> environment, String... args) {
    ServeCommand serve = new ServeCommand();
    new CommandLine(serve).setDefaultValueProvider(new EnvironmentDefaults(environment)).parseArgs(args);
    return serve;
  }

  @Test
  void optionsComeFromTheEnvironmentAndFlagsWin() {
    ServeCommand serve = parse(Map.of("TARN_HOST", "0.0.0.0", "TARN_PORT", "4000",
        "TARN_CATALOG_URI", "http://nessie:19120/api/v2", "TARN_S3_PATH_STYLE", "true",
        "TARN_WAREHOUSE", "s3://lake/warehouse", "TARN_MAX_SESSIONS_PER_USER", "7"), "--port", "5000");
    assertEquals("0.0.0.0", serve.host);
    assertEquals(5000, serve.port, "a flag wins over the environment");
    assertEquals(URI.create("http://nessie:19120/api/v2"), serve.catalogUri);
    assertTrue(serve.s3PathStyle);
    assertEquals("s3://lake/warehouse", serve.warehouse);
  }

  @Test
  void withoutVariablesTheBuiltInDefaultsHold() {
    ServeCommand serve = parse(Map.of("TARN_PORT", ""));
    assertEquals(31337, serve.port, "an empty variable counts as unset");
    assertEquals("127.0.0.1", serve.host);
    assertNull(serve.catalogUri);
  }

  @Test
  void aWrongValueIsAnErrorNamingTheOption() {
    CommandLine.ParameterException e = assertThrows(CommandLine.ParameterException.class,
        () -> parse(Map.of("TARN_PORT", "not-a-port")));
    assertTrue(e.getMessage().contains("--port") && e.getMessage().contains("not-a-port"), e.getMessage());
  }

  @Test
  void theVariableNameFollowsTheOptionName() {
    CommandLine cli = new CommandLine(new ServeCommand());
    assertEquals("TARN_MAX_SESSIONS_PER_USER",
        EnvironmentDefaults.variableFor(cli.getCommandSpec().findOption("--max-sessions-per-user")));
  }
}
