package dev.tarn.executor.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.executor.python.EnvironmentSpec;
import dev.tarn.executor.python.Environments;
import dev.tarn.executor.python.PythonTestSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model discovery runs a project's files (their top-level code runs on import) in a real Python
 * process: with a minimal environment, within its time limit, and stopped when cancelled.
 */
class ModelDiscoveryTest {
  static List<String> python;
  static Path runtime;

  @TempDir Path project;

  @BeforeAll
  static void findPython() {
    python = List.of(PythonTestSupport.environments().assemble(EnvironmentSpec.of("3.11", Map.of()))
        .python().toString());
    runtime = Environments.findRuntime().orElseThrow();
  }

  @Test
  void discoverySeesAMinimalEnvironment() throws Exception {
    Path file = Files.writeString(project.resolve("models.py"), """
        import os
        raise RuntimeError("ENV=" + ",".join(sorted(os.environ)) + "=END")
        """);
    PipelinePlanException e = assertThrows(PipelinePlanException.class,
        () -> new ModelDiscovery(python, runtime, Duration.ofMinutes(1)).discover(List.of(file)));
    String message = e.getMessage();
    // the last occurrence: the raised message, after the traceback quoting the source line
    String names = message.substring(message.lastIndexOf("ENV=") + 4, message.lastIndexOf("=END"));
    Set<String> seen = new TreeSet<>(Arrays.asList(names.split(",")));
    Set<String> allowed = Set.of("PATH", "HOME", "TMPDIR", "TMP", "TEMP", "LANG", "LC_ALL", "LC_CTYPE", "TZ",
        "PYTHONPATH", "PYTHONDONTWRITEBYTECODE");
    Set<String> unexpected = new TreeSet<>(seen);
    unexpected.removeAll(allowed);
    assertEquals(Set.of(), unexpected, "variables discovery must not see: " + seen);
    assertTrue(seen.contains("PYTHONPATH"), "Tarn's runtime is on the path: " + seen);
  }

  @Test
  void discoveryHonoursItsTimeLimit() throws Exception {
    Path file = Files.writeString(project.resolve("slow.py"), "import time\ntime.sleep(300)\n");
    long started = System.nanoTime();
    PipelinePlanException e = assertThrows(PipelinePlanException.class,
        () -> new ModelDiscovery(python, runtime, Duration.ofSeconds(2)).discover(List.of(file)));
    long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
    assertTrue(e.getMessage().contains("exceeded its time limit of 2 s and was stopped"), e.getMessage());
    assertTrue(seconds < 20, "stopped after " + seconds + " s");
  }

  @Test
  void discoveryStopsWhenCancelled() throws Exception {
    Path file = Files.writeString(project.resolve("slower.py"), "import time\ntime.sleep(300)\n");
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread run = new Thread(() -> {
      try {
        new ModelDiscovery(python, runtime, Duration.ofMinutes(10)).discover(List.of(file));
      } catch (Throwable t) {
        thrown.set(t);
      }
    });
    run.start();
    Thread.sleep(1500);
    long started = System.nanoTime();
    run.interrupt();
    run.join(20_000);
    assertFalse(run.isAlive(), "discovery ignored the cancel");
    assertTrue(Duration.ofNanos(System.nanoTime() - started).toSeconds() < 15);
    assertTrue(thrown.get() instanceof PipelinePlanException, String.valueOf(thrown.get()));
    assertTrue(thrown.get().getMessage().contains("was cancelled and stopped"), thrown.get().getMessage());
  }
}
