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
 * process: with a minimal environment, within its time limit, and stopped when cancelled. Each
 * discovery has a process of its own, started ahead of it.
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

  private static List<ModelDefinition> discoverOnce(Duration timeout, Path file) {
    try (ModelDiscovery discovery = new ModelDiscovery(python, runtime, timeout)) {
      return discovery.discover(List.of(file));
    }
  }

  @Test
  void discoverySeesAMinimalEnvironment() throws Exception {
    Path file = Files.writeString(project.resolve("models.py"), """
        import os
        raise RuntimeError("ENV=" + ",".join(sorted(os.environ)) + "=END")
        """);
    PipelinePlanException e = assertThrows(PipelinePlanException.class,
        () -> discoverOnce(Duration.ofMinutes(1), file));
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
  void processesAModelFileStartsEndWithItsDiscovery() throws Exception {
    String marker = "tarn-test-left-" + java.util.UUID.randomUUID();
    Path file = Files.writeString(project.resolve("starting.py"), PythonTestSupport.startsProcessesMarked(marker) + """
        import tarn

        @tarn.model()
        def plain(data=tarn.Model("transactions")):
            return data
        """);
    assertEquals(List.of("plain"), discoverOnce(Duration.ofMinutes(1), file).stream().map(ModelDefinition::name)
        .toList());
    assertEquals(List.of(), PythonTestSupport.processesLeftWith(marker), "what the file started outlived it");
  }

  @Test
  void discoveryHonoursItsTimeLimit() throws Exception {
    Path file = Files.writeString(project.resolve("slow.py"), "import time\ntime.sleep(300)\n");
    long started = System.nanoTime();
    PipelinePlanException e = assertThrows(PipelinePlanException.class,
        () -> discoverOnce(Duration.ofSeconds(2), file));
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
        discoverOnce(Duration.ofMinutes(10), file);
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

  private static final Pattern REPORT =
      Pattern.compile("PID=(\\d+) AGE=(\\S+) SEEN=(\\S+) STDIN=(.*) WAITING=(\\S*) END");

  /**
   * A file that reports its process, how long that process had lived when the file was imported,
   * what an earlier file left and what stdin holds, then fails.
   */
  private Matcher reportOf(ModelDiscovery discovery, int edit) throws Exception {
    return reportOf(discovery, project, edit, 0.3);
  }

  /**
   * The report of a file in {@code folder}, which looks for waiting processes after {@code seconds}
   * (long enough for a process started beside it to show).
   */
  private Matcher reportOf(ModelDiscovery discovery, Path folder, int edit, double seconds) throws Exception {
    Path file = Files.writeString(folder.resolve("models.py"), """
        import builtins, os, sys, time
        seen = getattr(builtins, "left_by_an_earlier_file", None)
        builtins.left_by_an_earlier_file = "edit%d"
        with open("/proc/self/stat") as f:
            started = int(f.read().rsplit(")", 1)[1].split()[19]) / os.sysconf("SC_CLK_TCK")
        age = time.clock_gettime(time.CLOCK_BOOTTIME) - started
        time.sleep(%s)
        waiting = []
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                with open(f"/proc/{pid}/stat") as f:
                    parent = int(f.read().rsplit(")", 1)[1].split()[1])
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    # this server's (another's on the same machine may run tests too)
                    if (b"--wait" in f.read().split(b"\\0") and int(pid) != os.getpid()
                            and parent == os.getppid()):
                        waiting.append(pid)
            except OSError:
                pass
        raise RuntimeError(f"PID={os.getpid()} AGE={age:.2f} SEEN={seen} STDIN={sys.stdin.read()!r} "
                           f"WAITING={','.join(waiting)} END")
        """.formatted(edit, seconds));
    PipelinePlanException e = assertThrows(PipelinePlanException.class, () -> discovery.discover(List.of(file)));
    Matcher m = REPORT.matcher(e.getMessage().substring(e.getMessage().lastIndexOf("PID=")));
    assertTrue(m.find(), e.getMessage());
    return m;
  }

  /** The discovery processes of this JVM waiting for their files, but those of {@code others}. */
  private static List<ProcessHandle> waitingProcesses(List<ProcessHandle> others) {
    return ProcessHandle.current().descendants()
        .filter(p -> p.info().arguments().map(a -> Arrays.asList(a).contains("--wait")).orElse(false))
        .filter(p -> !others.contains(p))
        .toList();
  }

  @Test
  void aDiscoveryAfterAnEditTakesAProcessStartedAheadAndInheritsNothing() throws Exception {
    List<ProcessHandle> others = waitingProcesses(List.of());
    try (ModelDiscovery discovery = new ModelDiscovery(python, runtime, Duration.ofMinutes(1))) {
      Matcher first = reportOf(discovery, 1);
      assertEquals(1, waitingProcesses(others).size(), "a process waits for the next discovery");
      Thread.sleep(1500); // a person editing
      Matcher second = reportOf(discovery, 2);
      assertTrue(Double.parseDouble(second.group(2)) >= 1.0,
          "the second discovery's process was started ahead, so it had lived through the edit: " + second.group(0));
      assertNotEquals(first.group(1), second.group(1), "each discovery has a process of its own");
      assertEquals("None", second.group(3), "the second file saw what the first left");
      assertEquals("''", second.group(4), "stdin holds nothing, as for a process started with its files");
      List<String> othersWaiting = others.stream().map(p -> Long.toString(p.pid())).toList();
      List<String> waitingMeanwhile = Arrays.stream(second.group(5).split(","))
          .filter(pid -> !pid.isEmpty() && !othersWaiting.contains(pid)).toList();
      assertEquals(List.of(), waitingMeanwhile, "no process waits for the next discovery while a file's code runs");

      // the waiting process gone (stopped from outside): the next discovery starts another
      for (ProcessHandle waiting : waitingProcesses(others)) {
        waiting.destroyForcibly();
        waiting.onExit().get();
      }
      Matcher third = reportOf(discovery, 3);
      assertEquals("None", third.group(3));

      Path good = Files.writeString(project.resolve("models.py"), """
          import tarn

          @tarn.model()
          def answer(data=tarn.Model("events")):
              return data
          """);
      List<ModelDefinition> found = discovery.discover(List.of(good));
      assertEquals(List.of("answer"), found.stream().map(ModelDefinition::name).toList());
    }
    assertEquals(List.of(), waitingProcesses(others), "closing stops the waiting process");
  }

  @Test
  void filesNamedOutsideAsciiReachTheWaitingProcessIntact() throws Exception {
    Path folder = Files.createDirectories(project.resolve("café ✓ \"q\""));
    Path file = Files.writeString(folder.resolve("modèles.py"), """
        import tarn

        @tarn.model()
        def années(data=tarn.Model("events")):
            return data
        """);
    try (ModelDiscovery discovery = new ModelDiscovery(python, runtime, Duration.ofMinutes(1))) {
      for (int i = 0; i < 2; i++) { // the second is served by the process started ahead
        Files.writeString(file, "\n# edit " + i + "\n", java.nio.file.StandardOpenOption.APPEND);
        List<ModelDefinition> found = discovery.discover(List.of(file));
        assertEquals(List.of("années"), found.stream().map(ModelDefinition::name).toList());
        assertEquals(file, found.get(0).file());
      }
    }
  }

  @Test
  void noProcessWaitsWhileAnotherDiscoveryStillRuns() throws Exception {
    Path slow = Files.createDirectories(project.resolve("slow"));
    Path fast = Files.createDirectories(project.resolve("fast"));
    Files.writeString(fast.resolve("models.py"), "import tarn\n");
    try (ModelDiscovery discovery = new ModelDiscovery(python, runtime, Duration.ofMinutes(1))) {
      List<ProcessHandle> others = waitingProcesses(List.of());
      List<String> othersWaiting = others.stream().map(p -> Long.toString(p.pid())).toList();
      AtomicReference<Throwable> slowOutcome = new AtomicReference<>();
      Thread slowDiscovery = new Thread(() -> {
        try {
          Matcher report = reportOf(discovery, slow, 1, 1.5);
          List<String> waitingMeanwhile = Arrays.stream(report.group(5).split(","))
              .filter(pid -> !pid.isEmpty() && !othersWaiting.contains(pid)).toList();
          assertEquals(List.of(), waitingMeanwhile, "a process waited while the slow file's code ran");
        } catch (Throwable t) {
          slowOutcome.set(t);
        }
      });
      slowDiscovery.start();
      Thread.sleep(500); // the slow file's code is running
      discovery.discover(List.of(fast.resolve("models.py"))); // ends while it still runs
      slowDiscovery.join(30_000);
      if (slowOutcome.get() != null) {
        throw new AssertionError(slowOutcome.get());
      }
      assertEquals(1, waitingProcesses(others).size(), "once both ended, one process waits");
    }
  }
}
