package dev.tarn.executor.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which of a server's variables each kind of process Tarn starts may see. */
class ChildEnvironmentTest {
  /** A server environment as an operator might have it: secrets among ordinary settings. */
  static final Map<String, String> SERVER = Map.ofEntries(
      Map.entry("PATH", "/opt/bin:/usr/bin"),
      Map.entry("HOME", "/home/tarn"),
      Map.entry("LANG", "de_DE.UTF-8"),
      Map.entry("TZ", "Europe/Rome"),
      Map.entry("TARN_PASSWORD", "s3cret"),
      Map.entry("AWS_ACCESS_KEY_ID", "AKIA..."),
      Map.entry("AWS_SECRET_ACCESS_KEY", "secret-key"),
      Map.entry("S3_SECRET", "secret"),
      Map.entry("DATABASE_URL", "postgres://u:p@db/x"),
      Map.entry("VIRTUAL_ENV", "/srv/tarn/.venv"),
      Map.entry("PYTHONPATH", "/srv/evil"),
      Map.entry("UV_INDEX_URL", "https://mirror.example/simple"),
      Map.entry("https_proxy", "http://proxy:3128"),
      Map.entry("SSL_CERT_FILE", "/etc/ssl/corp.pem"));

  @Test
  void pythonProcessesSeeOnlyWhatTheyNeed() {
    Path run = Path.of("/dev/shm/tarn-run-1");
    Map<String, String> env = ChildEnvironment.forPython(SERVER, run, Map.of("PYTHONDONTWRITEBYTECODE", "1"));
    assertEquals(Map.of("PATH", "/opt/bin:/usr/bin", "LANG", "de_DE.UTF-8", "TZ", "Europe/Rome",
        "HOME", run.toString(), "TMPDIR", run.toString(), "TMP", run.toString(), "TEMP", run.toString(),
        "PYTHONDONTWRITEBYTECODE", "1"), env);
  }

  @Test
  void uvSeesWhatReachingAnIndexTakesButNoSecrets() {
    Map<String, String> env = ChildEnvironment.forUv(SERVER, Map.of("UV_CACHE_DIR", "/cache/uv"));
    assertEquals(Set.of("PATH", "LANG", "TZ", "HOME", "UV_INDEX_URL", "https_proxy", "SSL_CERT_FILE", "UV_CACHE_DIR"),
        env.keySet());
    assertEquals("/home/tarn", env.get("HOME"));
  }

  @Test
  void aServerWithoutPathOrLocaleStillGivesUsableOnes() {
    Map<String, String> env = ChildEnvironment.forPython(new HashMap<>(Map.of("SECRET", "x")), Path.of("/srv/run"),
        Map.of());
    assertEquals("/usr/local/bin:/usr/bin:/bin", env.get("PATH"));
    assertEquals("C.UTF-8", env.get("LANG"));
    assertFalse(env.containsKey("SECRET"));
  }
}
