package dev.tarn.executor.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real model processes in real uv-assembled environments (polars 1.33.0 from PyPI, cached). */
class PythonModelRunnerTest {

  /** The seed pipeline of shared/spec/pipelines.md, as written. */
  static final String SEED = """
      import tarn

      @tarn.model()
      @tarn.python("3.11", pip={"polars": "1.33.0"})
      def euro_selection(data=tarn.Model("transactions",
                                         columns=["id", "usd", "country"],
                                         filter="eventTime BETWEEN '2023-01-01' AND '2023-02-01'")):
          import polars as pl
          return pl.from_arrow(data).filter(pl.col("country").is_in(["IT", "FR", "DE", "ES"]))

      @tarn.model(materialize=True)
      @tarn.python("3.11", pip={"polars": "1.33.0"})
      def usd_by_country(data=tarn.Model("euro_selection")):
          import polars as pl
          return pl.from_arrow(data).group_by("country").agg(pl.col("usd").sum())
      """;

  static final String FAILING = """
      import os, signal, time
      import tarn

      def helper(table):
          raise ValueError("no rows for %d inputs" % table.num_rows)

      @tarn.model()
      def broken(data=tarn.Model("transactions")):
          print("starting broken")
          return helper(data)

      @tarn.model()
      def sleepy(data=tarn.Model("transactions")):
          time.sleep(120)
          return data

      @tarn.model()
      def suicidal(data=tarn.Model("transactions")):
          os.kill(os.getpid(), signal.SIGKILL)

      @tarn.model()
      def greedy(data=tarn.Model("transactions")):
          hog = bytearray(3 << 30)
          return data

      def _answer_channel():
          import fcntl
          for name in os.listdir("/proc/self/fd"):
              fd = int(name)
              try:
                  pipe = os.readlink("/proc/self/fd/%d" % fd).startswith("pipe:")
              except OSError:
                  continue
              if fd > 2 and pipe and fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_ACCMODE == os.O_WRONLY:
                  return fd

      @tarn.model()
      def meddling(data=tarn.Model("transactions")):
          fd = _answer_channel()
          child = os.fork()
          if child == 0:
              os.setsid()
              if os.fork() == 0:  # detached: re-parented when its parent exits
                  time.sleep(0.5)
                  os.write(fd, b"x")  # half a line, while the worker waits for its next request
                  time.sleep(5)
                  os._exit(0)
              os._exit(0)
          os.waitpid(child, 0)
          return data

      @tarn.model()
      def scribbling(data=tarn.Model("transactions")):
          os.write(_answer_channel(), b"x")  # the worker's answer line is then not its own
          return data

      @tarn.model()
      def telling_pid(data=tarn.Model("transactions")):
          print("pid=%d" % os.getpid())
          return data

      @tarn.model()
      def deaf(data=tarn.Model("transactions")):
          os.closerange(3, 4096)  # the worker's answer channel among them
          return data

      @tarn.model()
      def by_parameter(data=tarn.Model("transactions"), country=tarn.Parameter("country")):
          import pyarrow.compute as pc
          print("filtering on", country)
          return data.filter(pc.equal(data["country"], country))

      @tarn.expectation()
      def no_rows(data=tarn.Model("transactions")):
          return data.num_rows == 0

      @tarn.expectation()
      def has_rows(data=tarn.Model("transactions")):
          return data.num_rows > 0
      """;

  /** A model that shows everything its process was given. */
  static final String ENVIRONMENT_PRINTER = """
      import json, os
      import tarn

      @tarn.model()
      def show_environment(data=tarn.Model("transactions")):
          print("ENV=" + json.dumps(dict(os.environ)))
          return data
      """;

  /** The variables a model process may see (ChildEnvironment); Python may add LC_CTYPE itself. */
  static final java.util.Set<String> MINIMAL =
      java.util.Set.of("PATH", "HOME", "TMPDIR", "TMP", "TEMP", "LANG", "LC_ALL", "LC_CTYPE", "TZ");

  static final EnvironmentSpec POLARS = EnvironmentSpec.of("3.11", Map.of("polars", "1.33.0"));
  static final EnvironmentSpec PLAIN = EnvironmentSpec.of("3.11", Map.of());

  static Environments environments;
  static BufferAllocator allocator;
  static Path scratchRoot;
  static PythonModelRunner runner;

  @TempDir Path project;

  @BeforeAll
  static void setUp() throws IOException {
    environments = PythonTestSupport.environments();
    allocator = new RootAllocator();
    scratchRoot = Files.createTempDirectory(PythonModelRunner.defaultScratchRoot(), "tarn-test-");
    runner = new PythonModelRunner(allocator, scratchRoot, true);
    PythonEnvironment plain = environments.assemble(PLAIN);
    System.out.printf("environment %s (%s): %d ms (%s)%n", plain.hash(), PLAIN,
        plain.assembleTime().toMillis(), plain.reused() ? "existed" : "assembled now");
  }

  @AfterAll
  static void tearDown() throws IOException {
    runner.close();
    try (Stream<Path> left = Files.list(scratchRoot)) {
      assertEquals(List.of(), left.toList(), "closing the runner left warm workers' folders behind");
    }
    allocator.close();
    Environments.deleteTree(scratchRoot);
  }

  @AfterEach
  void runFoldersAreRemoved() throws IOException {
    // warm workers keep a folder each while they live
    try (Stream<Path> left = Files.list(scratchRoot).filter(p -> !p.getFileName().toString().startsWith("tarn-worker-"))) {
      assertEquals(List.of(), left.toList(), "temporary files of model runs were left behind");
    }
  }

  static final String STATEFUL = """
      import os
      import tarn
      import helper_state

      @tarn.model()
      def where(data=tarn.Model("transactions")):
          helper_state.calls += 1
          os.environ["LEFT_BEHIND"] = "yes"
          print("pid=%d calls=%d home=%s cwd=%s left=%s" % (os.getpid(), helper_state.calls, os.environ["HOME"],
                os.getcwd(), os.environ.get("LEFT_BEFORE", "no")))
          os.environ["LEFT_BEFORE"] = "yes"
          return data
      """;

  /** What a line of STATEFUL's output says: pid, calls, home, cwd, left. */
  private static Map<String, String> said(ModelResult result) {
    Map<String, String> said = new java.util.HashMap<>();
    for (String part : result.stdout().strip().split(" ")) {
      String[] kv = part.split("=", 2);
      said.put(kv[0], kv[1]);
    }
    return said;
  }

  static final String THREADED = """
      import os, threading, time
      import tarn

      @tarn.model()
      def lingering(data=tarn.Model("transactions")):
          threading.Thread(target=time.sleep, args=(30,), daemon=True).start()
          print("pid=%d" % os.getpid())
          return data

      @tarn.model()
      def plain(data=tarn.Model("transactions")):
          print("pid=%d" % os.getpid())
          return data
      """;

  private String pidOf(Path models, String model, String owner) throws IOException {
    try (VectorSchemaRoot transactions = transactions();
        ModelResult result = runner.run(ModelCall.of(models, model, environments.assemble(PLAIN),
            Map.of("transactions", ModelInput.of(transactions))).withOwner(owner))) {
      return said(result).get("pid");
    }
  }

  @Test
  void warmWorkersServeOneUserAndEndWhenAModelLeavesThreadsBehind() throws IOException {
    Path models = write("threaded.py", THREADED);
    String lingering = pidOf(models, "lingering", "ann");
    String next = pidOf(models, "plain", "ann");
    assertNotEquals(lingering, next, "a worker whose model left a thread running is not used again");
    assertEquals(next, pidOf(models, "plain", "ann"), "the same user's next model runs warm");
    assertNotEquals(next, pidOf(models, "plain", "bob"), "another user's model never runs in ann's worker");
  }

  @Test
  void processesAModelStartsEndWithItDetachedOrNotAndItsWorkerIsRetired() throws Exception {
    String marker = "tarn-test-left-" + java.util.UUID.randomUUID();
    Path models = write("starting.py", """
        import os
        import tarn

        @tarn.model()
        def starting(data=tarn.Model("transactions")):
        %s
            print("pid=%%d" %% os.getpid())
            return data

        @tarn.model()
        def plain(data=tarn.Model("transactions")):
            print("pid=%%d" %% os.getpid())
            return data
        """.formatted(PythonTestSupport.startsProcessesMarked(marker).indent(4).stripTrailing()));
    String starting = pidOf(models, "starting", "ann");
    assertEquals(List.of(), PythonTestSupport.processesLeftWith(marker), "what the model started outlived it");
    assertNotEquals(starting, pidOf(models, "plain", "ann"),
        "a worker whose model left processes (its libraries may count on them) is not used again");
  }

  @Test
  void aModelUsingMultiprocessingRunsAgainInTheSameWorker() throws Exception {
    Path models = write("pooled.py", """
        import multiprocessing, os
        from concurrent.futures import ProcessPoolExecutor
        from multiprocessing import shared_memory
        import tarn

        @tarn.model()
        def pooled(data=tarn.Model("transactions")):
            with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("fork")) as pool:
                total = sum(pool.map(abs, range(-4, 0)))
            # starts multiprocessing's resource tracker, which outlives the model: stopped as at exit
            block = shared_memory.SharedMemory(create=True, size=16)
            block.close()
            block.unlink()
            print("pid=%d total=%d" % (os.getpid(), total))
            return data
        """);
    List<Map<String, String>> runs = new java.util.ArrayList<>();
    for (int i = 0; i < 2; i++) {
      try (VectorSchemaRoot transactions = transactions();
          ModelResult result = runner.run(ModelCall.of(models, "pooled", environments.assemble(PLAIN),
              Map.of("transactions", ModelInput.of(transactions))))) {
        runs.add(said(result));
      }
    }
    assertEquals("10", runs.get(0).get("total"), runs.toString());
    assertEquals("10", runs.get(1).get("total"), runs.toString());
    assertEquals(runs.get(0).get("pid"), runs.get(1).get("pid"), "the pool's helpers ended cleanly: " + runs);
  }

  @Test
  void warmWorkersServeTheNextModelWithNothingTheLastLeft() throws IOException {
    Path models = write("stateful.py", STATEFUL);
    write("helper_state.py", "calls = 0\n");
    List<Map<String, String>> runs = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) {
      try (VectorSchemaRoot transactions = transactions();
          ModelResult result = runner.run(ModelCall.of(models, "where", environments.assemble(PLAIN),
              Map.of("transactions", ModelInput.of(transactions))))) {
        assertEquals(6, result.rows());
        runs.add(said(result));
      }
    }
    assertEquals(1, runs.stream().map(r -> r.get("pid")).distinct().count(), "one warm process ran all three: " + runs);
    for (Map<String, String> run : runs) {
      assertEquals("1", run.get("calls"), "the project's modules are loaded afresh for every model: " + runs);
      assertEquals("no", run.get("left"), "environment variables a model set do not reach the next: " + runs);
      assertEquals(project.toRealPath().toString(), Path.of(run.get("cwd")).toRealPath().toString());
      assertTrue(run.get("home").startsWith(scratchRoot.toString()), run.toString());
    }
    assertEquals(3, runs.stream().map(r -> r.get("home")).distinct().count(), "each model has a home of its own");

    // a model that fails leaves its worker retired: the next model gets another process
    Path failing = write("failing.py", FAILING);
    try (VectorSchemaRoot transactions = transactions()) {
      assertThrows(ModelFailedException.class, () -> runner.run(ModelCall.of(failing, "broken",
          environments.assemble(PLAIN), Map.of("transactions", ModelInput.of(transactions)))));
    }
    try (VectorSchemaRoot transactions = transactions();
        ModelResult result = runner.run(ModelCall.of(models, "where", environments.assemble(PLAIN),
            Map.of("transactions", ModelInput.of(transactions))))) {
      assertNotEquals(runs.get(0).get("pid"), said(result).get("pid"));
    }
  }

  @Test
  void environmentsAreAssembledOnceAndReused() {
    PythonEnvironment first = environments.assemble(POLARS);
    PythonEnvironment again = environments.assemble(EnvironmentSpec.of("3.11", Map.of("Polars", "1.33.0")));
    System.out.printf("environment %s (%s): first assemble %d ms (%s), second %d ms%n", first.hash(), POLARS,
        first.assembleTime().toMillis(), first.reused() ? "existed" : "assembled now",
        again.assembleTime().toMillis());
    assertEquals(first.directory(), again.directory());
    assertTrue(again.reused());
    assertTrue(again.assembleTime().toMillis() < 500, "a warm environment costs ~0 s: " + again.assembleTime());
  }

  @Test
  void seedPipelineGivesCorrectSums() throws IOException {
    assertEquals(Map.of("IT", 17.5, "FR", 2.5, "DE", 1.0), runSeed(SEED));
  }

  @Test
  void bauplanProjectRunsUnchanged() throws IOException {
    String bauplan = SEED.replace("import tarn", "import bauplan").replace("tarn.", "bauplan.");
    assertTrue(bauplan.contains("@bauplan.model()") && !bauplan.contains("tarn"));
    assertEquals(Map.of("IT", 17.5, "FR", 2.5, "DE", 1.0), runSeed(bauplan));
  }

  private Map<String, Double> runSeed(String source) throws IOException {
    Path models = write("models.py", source);
    PythonEnvironment env = environments.assemble(POLARS);
    try (VectorSchemaRoot transactions = transactions();
        ModelResult selection = runner.run(ModelCall.of(models, "euro_selection", env,
            Map.of("transactions", ModelInput.of(transactions))));
        ModelResult sums = runner.run(ModelCall.of(models, "usd_by_country", env,
            Map.of("euro_selection", ModelInput.of(selection.output()))))) {
      assertEquals(4, selection.rows());
      assertEquals(3, sums.rows());
      System.out.printf("seed models: euro_selection %d ms, usd_by_country %d ms (process wall time)%n",
          selection.duration().toMillis(), sums.duration().toMillis());
      return read(sums.output());
    }
  }

  @Test
  void modelsSeeAMinimalEnvironmentNeverTheServers() throws IOException {
    Path models = write("environment.py", ENVIRONMENT_PRINTER);
    try (VectorSchemaRoot transactions = transactions();
        ModelResult result = runner.run(ModelCall.of(models, "show_environment", environments.assemble(PLAIN),
            Map.of("transactions", ModelInput.of(transactions))))) {
      String line = result.stdout().lines().filter(l -> l.startsWith("ENV=")).findFirst().orElseThrow();
      Map<String, String> seen = new com.fasterxml.jackson.databind.ObjectMapper().readValue(line.substring(4),
          new com.fasterxml.jackson.core.type.TypeReference<Map<String, String>>() {});
      java.util.Set<String> unexpected = new java.util.TreeSet<>(seen.keySet());
      unexpected.removeAll(MINIMAL);
      assertEquals(java.util.Set.of(), unexpected, "variables a model must not see: " + seen);
      java.util.Set<String> server = new java.util.TreeSet<>(System.getenv().keySet());
      server.removeAll(MINIMAL);
      assertFalse(server.isEmpty(), "the server's own environment has more than the minimal variables");
      assertTrue(Path.of(seen.get("HOME")).startsWith(scratchRoot), "HOME is the run's folder: " + seen.get("HOME"));
      assertEquals(seen.get("HOME"), seen.get("TMPDIR"));
      assertEquals(System.getenv("PATH"), seen.get("PATH"));
    }
  }

  @Test
  void modelRaisingReportsTracebackAndLogs() throws IOException {
    ModelFailedException e = fail("broken", ModelCall::withTimeout, Duration.ofMinutes(1));
    assertEquals(ModelFailedException.Reason.RAISED, e.reason());
    assertEquals("broken", e.model());
    assertEquals("ValueError", e.errorType());
    assertTrue(e.getMessage().startsWith("Python model 'broken' raised ValueError: no rows for 6 inputs"), e.getMessage());
    assertTrue(e.traceback().contains("in helper"), e.traceback());
    assertTrue(e.getMessage().contains("in helper"), "the message shows the traceback");
    assertTrue(e.stdout().contains("starting broken"), e.stdout());
    assertTrue(e.stderr().contains("ValueError"), e.stderr());
    System.out.println(e.getMessage());
  }

  @Test
  void timeoutStopsTheModel() throws IOException {
    long started = System.nanoTime();
    ModelFailedException e = fail("sleepy", ModelCall::withTimeout, Duration.ofSeconds(2));
    assertEquals(ModelFailedException.Reason.TIMEOUT, e.reason());
    assertEquals("Python model 'sleepy' exceeded its timeout of 2 s and was stopped", e.getMessage());
    assertTrue(Duration.ofNanos(System.nanoTime() - started).toSeconds() < 15);
  }

  @Test
  void aModelThatClosesItsWorkersChannelFailsWithoutWaitingForItsTimeout() throws IOException {
    long started = System.nanoTime();
    ModelFailedException e = fail("deaf", ModelCall::withTimeout, Duration.ofMinutes(2));
    assertEquals(ModelFailedException.Reason.KILLED, e.reason(), e.getMessage());
    assertTrue(e.getMessage().startsWith("Python model 'deaf' ended its worker process (exit status 1) without"
        + " reporting a result"), e.getMessage());
    assertTrue(Duration.ofNanos(System.nanoTime() - started).toSeconds() < 60, e.getMessage());
  }

  @Test
  void aProcessAModelDetachedCannotAnswerForTheNextModel() throws Exception {
    Path models = write("failing.py", FAILING);
    try (VectorSchemaRoot transactions = transactions()) {
      runner.run(ModelCall.of(models, "meddling", environments.assemble(PLAIN),
          Map.of("transactions", ModelInput.of(transactions)))).close();
      Thread.sleep(1500); // when the process it detached outlived it, it wrote to the idle worker's channel here
      // and that worker read "x0" as the next model's answer; it is stopped with the model now
      try (ModelResult next = runner.run(ModelCall.of(models, "by_parameter", environments.assemble(PLAIN),
          Map.of("transactions", ModelInput.of(transactions))).withParameters(Map.of("country", "IT")))) {
        assertEquals(2, next.rows());
      }
    }
  }

  @Test
  void aModelThatWritesToItsWorkersChannelFailsAndItsWorkerServesNoMore() throws Exception {
    Path models = write("failing.py", FAILING);
    String before = pidOf(models, "telling_pid", "ann");
    try (VectorSchemaRoot transactions = transactions()) {
      ModelFailedException e = assertThrows(ModelFailedException.class, () -> runner.run(ModelCall.of(models,
          "scribbling", environments.assemble(PLAIN), Map.of("transactions", ModelInput.of(transactions)))
          .withOwner("ann")).close());
      assertEquals(ModelFailedException.Reason.KILLED, e.reason(), e.getMessage());
    }
    assertNotEquals(before, pidOf(models, "telling_pid", "ann"), "a worker whose channel carried something else"
        + " than its answers is not used again");
  }

  @Test
  void killedProcessIsReported() throws IOException {
    ModelFailedException e = fail("suicidal", ModelCall::withTimeout, Duration.ofMinutes(1));
    assertEquals(ModelFailedException.Reason.KILLED, e.reason());
    assertTrue(e.getMessage().startsWith("Python model 'suicidal' was killed by signal 9 (SIGKILL)"), e.getMessage());
  }

  @Test
  void memoryLimitTurnsIntoMemoryError() throws IOException {
    ModelFailedException e = fail("greedy", (call, limit) -> call.withMemoryLimit(limit), 1L << 30);
    assertEquals(ModelFailedException.Reason.RAISED, e.reason());
    assertEquals("MemoryError", e.errorType());
    assertTrue(e.getMessage().startsWith("Python model 'greedy' raised MemoryError"), e.getMessage());
  }

  @Test
  void expectationFailing() throws IOException {
    ModelFailedException e = fail("no_rows", ModelCall::withTimeout, Duration.ofMinutes(1));
    assertEquals(ModelFailedException.Reason.EXPECTATION_FAILED, e.reason());
    assertEquals("expectation 'no_rows' failed: it returned False", e.getMessage());
  }

  @Test
  void expectationHolding() throws IOException {
    Path models = write("failing.py", FAILING);
    try (VectorSchemaRoot transactions = transactions();
        ModelResult result = runner.run(ModelCall.of(models, "has_rows", environments.assemble(PLAIN),
            Map.of("transactions", ModelInput.of(transactions))))) {
      assertEquals(0, result.rows());
      assertEquals(null, result.output());
    }
  }

  @Test
  void modelsAreDiscoverableWithTheirMetadata() throws Exception {
    Path models = write("models.py", SEED);
    Process discover = new ProcessBuilder(environments.assemble(PLAIN).command("-m",
        "tarn.discover", models.toString())).redirectErrorStream(true).start();
    String json = new String(discover.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, discover.waitFor(), json);
    com.fasterxml.jackson.databind.JsonNode found = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
    assertEquals(2, found.size());
    assertEquals("euro_selection", found.get(0).path("name").asText());
    assertEquals("transactions", found.get(0).path("inputs").path("data").path("name").asText());
    assertEquals("[\"id\",\"usd\",\"country\"]", found.get(0).path("inputs").path("data").path("columns").toString());
    assertTrue(found.get(1).path("materialize").asBoolean());
    assertEquals("1.33.0", found.get(1).path("python").path("pip").path("polars").asText());
    assertEquals("3.11", found.get(1).path("python").path("version").asText());
  }

  @Test
  void parametersReachTheModelAndStdoutIsCaptured() throws IOException {
    Path models = write("failing.py", FAILING);
    try (VectorSchemaRoot transactions = transactions();
        ModelResult result = runner.run(ModelCall.of(models, "by_parameter", environments.assemble(PLAIN),
            Map.of("transactions", ModelInput.of(transactions))).withParameters(Map.of("country", "IT")))) {
      assertEquals(2, result.rows());
      assertTrue(result.stdout().contains("filtering on IT"), result.stdout());
      ArrowReader output = result.output();
      assertTrue(output.loadNextBatch());
      assertEquals(List.of("id", "usd", "country"), output.getVectorSchemaRoot().getSchema().getFields()
          .stream().map(f -> f.getName()).toList());
    }
  }

  @Test
  void unknownModelNameIsInvalid() throws IOException {
    Path models = write("failing.py", FAILING);
    try (VectorSchemaRoot transactions = transactions()) {
      ModelFailedException e = assertThrows(ModelFailedException.class, () -> runner.run(ModelCall.of(models,
          "nope", environments.assemble(PLAIN), Map.of("transactions", ModelInput.of(transactions)))));
      assertEquals(ModelFailedException.Reason.INVALID, e.reason());
      assertTrue(e.getMessage().contains("no model or expectation named 'nope'"), e.getMessage());
    }
  }

  @Test
  void missingPackageFailsFastNamingIt() {
    long started = System.nanoTime();
    EnvironmentException e = assertThrows(EnvironmentException.class, () -> environments.assemble(
        EnvironmentSpec.of("3.11", Map.of("polars", "1.33.0", "tarn-no-such-package-q7", "1.0"))));
    assertTrue(e.getMessage().contains("pip package tarn-no-such-package-q7==1.0 could not be installed"), e.getMessage());
    EnvironmentException version = assertThrows(EnvironmentException.class, () -> environments.assemble(
        EnvironmentSpec.of("3.11", Map.of("polars", "99.1.0"))));
    assertTrue(version.getMessage().contains("pip package polars==99.1.0 could not be installed"), version.getMessage());
    System.out.printf("missing packages reported in %d ms:%n  %s%n  %s%n", (System.nanoTime() - started) / 1_000_000,
        e.getMessage(), version.getMessage());
    assertFalse(Files.exists(environments.environmentsDir().resolve(
        EnvironmentSpec.of("3.11", Map.of("polars", "99.1.0", "pyarrow", Environments.DEFAULT_PYARROW)).hash())),
        "a failed environment is not left half-built");
  }

  @Test
  void unavailablePythonFailsFastNamingIt() {
    EnvironmentException e = assertThrows(EnvironmentException.class,
        () -> environments.assemble(EnvironmentSpec.of("3.99", Map.of())));
    assertTrue(e.getMessage().startsWith("Python 3.99 is not available on this executor"), e.getMessage());
    System.out.println(e.getMessage());
  }

  private interface Limit<T> {
    ModelCall apply(ModelCall call, T limit);
  }

  private <T> ModelFailedException fail(String model, Limit<T> limit, T value) throws IOException {
    Path models = write("failing.py", FAILING);
    try (VectorSchemaRoot transactions = transactions()) {
      ModelCall call = ModelCall.of(models, model, environments.assemble(PLAIN),
          Map.of("transactions", ModelInput.of(transactions)));
      return assertThrows(ModelFailedException.class, () -> runner.run(limit.apply(call, value)).close());
    }
  }

  private Path write(String name, String source) throws IOException {
    return Files.writeString(project.resolve(name), source);
  }

  /** id BIGINT, usd DOUBLE, country VARCHAR: the columns euro_selection reads. */
  private static VectorSchemaRoot transactions() {
    long[] ids = {1, 2, 3, 4, 5, 6};
    double[] usd = {10.0, 5.0, 2.5, 7.5, 1.0, 100.0};
    String[] countries = {"IT", "US", "FR", "IT", "DE", "JP"};
    BigIntVector id = new BigIntVector("id", allocator);
    Float8Vector amount = new Float8Vector("usd", allocator);
    VarCharVector country = new VarCharVector("country", allocator);
    for (int i = 0; i < ids.length; i++) {
      id.setSafe(i, ids[i]);
      amount.setSafe(i, usd[i]);
      country.setSafe(i, countries[i].getBytes(StandardCharsets.UTF_8));
    }
    VectorSchemaRoot root = new VectorSchemaRoot(List.<FieldVector>of(id, amount, country));
    root.setRowCount(ids.length);
    return root;
  }

  private static Map<String, Double> read(ArrowReader reader) throws IOException {
    Map<String, Double> sums = new TreeMap<>();
    while (reader.loadNextBatch()) {
      VectorSchemaRoot root = reader.getVectorSchemaRoot();
      FieldVector country = root.getVector("country");
      Float8Vector usd = (Float8Vector) root.getVector("usd");
      assertNotNull(country);
      for (int i = 0; i < root.getRowCount(); i++) {
        sums.put(country.getObject(i).toString(), usd.get(i));
      }
    }
    return sums;
  }
}
