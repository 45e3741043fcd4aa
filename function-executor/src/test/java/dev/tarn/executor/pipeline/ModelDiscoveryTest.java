package dev.tarn.executor.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model discovery runs a project's files (their top-level code runs on import) in a real Python
 * process: with a minimal environment, within its time limit, and stopped when cancelled. A warm
 * process forks a fresh child for each discovery.
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

  private static final Pattern SEEN = Pattern.compile("PARENT=(\\d+) SEEN=(\\S+) END");

  /** A file that reports the process it ran under and what an earlier file left, then fails. */
  private Matcher reportOf(ModelDiscovery discovery, int edit) throws Exception {
    Path file = Files.writeString(project.resolve("models.py"), """
        import builtins, os
        seen = getattr(builtins, "left_by_an_earlier_file", None)
        builtins.left_by_an_earlier_file = "edit%d"
        raise RuntimeError(f"PARENT={os.getppid()} SEEN={seen} END")
        """.formatted(edit));
    PipelinePlanException e = assertThrows(PipelinePlanException.class, () -> discovery.discover(List.of(file)));
    Matcher m = SEEN.matcher(e.getMessage().substring(e.getMessage().lastIndexOf("PARENT=")));
    assertTrue(m.find(), e.getMessage());
    return m;
  }

  @Test
  void discoveriesAfterEditsRunInChildrenOfOneWarmProcessAndInheritNothingFromEachOther() throws Exception {
    ModelDiscovery discovery = new ModelDiscovery(python, runtime, Duration.ofMinutes(1));
    Matcher first = reportOf(discovery, 1);
    Matcher second = reportOf(discovery, 2);
    long server = ProcessHandle.current().pid();
    assertNotEquals(String.valueOf(server), first.group(1), "the first discovery ran in a process of its own");
    assertEquals(first.group(1), second.group(1), "the second discovery ran in the same warm process");
    assertEquals("None", first.group(2));
    assertEquals("None", second.group(2), "the second file saw what the first left");

    // the warm process gone (stopped from outside): the next discovery starts another
    ProcessHandle warm = ProcessHandle.of(Long.parseLong(second.group(1))).orElseThrow();
    warm.destroyForcibly();
    warm.onExit().get();
    Matcher third = reportOf(discovery, 3);
    assertNotEquals(second.group(1), third.group(1));

    Path good = Files.writeString(project.resolve("models.py"), """
        import tarn

        @tarn.model()
        def answer(data=tarn.Model("events")):
            return data
        """);
    List<ModelDefinition> found = discovery.discover(List.of(good));
    assertEquals(List.of("answer"), found.stream().map(ModelDefinition::name).toList());
  }

  @Test
  void aModelFileCannotAnswerForTheWarmProcess() throws Exception {
    ModelDiscovery discovery = new ModelDiscovery(python, runtime, Duration.ofMinutes(1));
    Path file = Files.writeString(project.resolve("models.py"), """
        import os
        for fd in range(3, 256):
            try:
                os.write(fd, b"0\\n")
            except OSError:
                pass
        raise RuntimeError("the file's own failure")
        """);
    PipelinePlanException e = assertThrows(PipelinePlanException.class, () -> discovery.discover(List.of(file)));
    assertTrue(e.getMessage().contains("the file's own failure"), e.getMessage());
    Matcher after = reportOf(discovery, 4);
    assertEquals("None", after.group(2));
  }
}
