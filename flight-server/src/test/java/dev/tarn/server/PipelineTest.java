package dev.tarn.server;

import static dev.tarn.server.JdbcClientTest.column;
import static dev.tarn.server.Cli.tarn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code RUN PIPELINE} end to end through the stock Flight SQL JDBC driver and {@code tarn run}:
 * the seed pipeline of pipelines.md on a branch, pushdown shown in the run record, failures that
 * leave the target branch as it was, and the projects folder boundary.
 */
class PipelineTest {
  private static final Path REPO = Path.of("").toAbsolutePath().getParent();
  private static final String EURO_SUMS = "SELECT country, round(sum(usd), 6) FROM transactions"
      + " WHERE eventTime BETWEEN '2023-01-01' AND '2023-02-01' AND country IN ('IT', 'FR', 'DE', 'ES')"
      + " GROUP BY country ORDER BY country";

  private static Path projects;
  private static RunningServer server;

  @BeforeAll
  static void start() throws Exception {
    projects = Files.createTempDirectory("tarn-projects");
    copy(REPO.resolve("examples/pipelines/seed"), projects.resolve("seed"));
    copy(REPO.resolve("examples/pipelines/seed_bauplan"), projects.resolve("seed_bauplan"));
    server = RunningServer.start(c -> c.withProjectsRoot(projects).withScanCacheBytes(64L << 20));
    try (Connection c = server.connect(); Statement s = c.createStatement()) {
      for (String statement : Files.readString(REPO.resolve("examples/pipelines/transactions.sql")).split(";")) {
        if (!statement.lines().allMatch(l -> l.isBlank() || l.strip().startsWith("--"))) {
          s.executeUpdate(statement);
        }
      }
    }
  }

  @AfterAll
  static void stop() throws IOException {
    server.close();
    deleteTree(projects);
  }

  @Test
  void theSeedPipelineRunsOnABranchAndMergesAsOneCommit() throws Exception {
    try (Connection c = server.connect(); Statement s = c.createStatement()) {
      s.execute("CREATE BRANCH seed_dev FROM main");
      String mainBefore = head(s, "main");
      int commitsBefore = column(s.executeQuery("SHOW LOG seed_dev"), "commit_hash").size();

      Map<String, List<String>> run = rows(s.executeQuery("RUN PIPELINE 'seed' ON BRANCH seed_dev"));
      assertEquals(List.of("euro_selection", "usd_by_country"), run.get("model"));
      assertEquals(List.of("python", "python"), run.get("kind"));
      assertEquals(List.of("succeeded", "succeeded"), run.get("status"));
      assertEquals(List.of("public.usd_by_country"), run.get("materialized_as").subList(1, 2));
      assertEquals("4", run.get("rows").get(1), "one row per euro country");

      assertEquals(column(s.executeQuery(EURO_SUMS), 2),
          column(s.executeQuery("SELECT country, round(usd, 6) FROM seed_dev.public.usd_by_country ORDER BY country"),
              2),
          "the pipeline's sums equal the same aggregation in SQL");
      assertEquals(commitsBefore + 1, column(s.executeQuery("SHOW LOG seed_dev"), "commit_hash").size(),
          "the run lands as one commit");
      assertEquals(mainBefore, head(s, "main"), "main is untouched");
      SQLException absent = assertThrows(SQLException.class,
          () -> s.executeQuery("SELECT * FROM usd_by_country").close());
      assertTrue(absent.getMessage().contains("usd_by_country"), absent.getMessage());

      String runId = run.get("run_id").get(0);
      assertFalse(column(s.executeQuery("SHOW BRANCHES ALL"), "name").contains("tarn_run_" + runId),
          "a successful run's branch is deleted");
      Map<String, List<String>> steps = rows(s.executeQuery("SHOW RUN '" + runId + "'"));
      int scan = steps.get("kind").indexOf("scan");
      String detail = steps.get("detail").get(scan);
      assertTrue(detail.contains("id, usd, country"), "only the declared columns are read: " + detail);
      assertTrue(detail.contains("1 of 3"), "the filter skips the February and March files: " + detail);
      assertTrue(rows(s.executeQuery("SHOW RUNS")).get("run_id").contains(runId));
    }
  }

  @Test
  void aBauplanProjectRunsUnchangedAndADryRunCommitsNothing() throws Exception {
    try (Connection c = server.connect(); Statement s = c.createStatement()) {
      s.execute("CREATE BRANCH bauplan_dev FROM main");
      String before = head(s, "bauplan_dev");
      Map<String, List<String>> dry = rows(s.executeQuery(
          "RUN PIPELINE 'seed_bauplan' ON BRANCH bauplan_dev WITH (dry_run = true)"));
      assertEquals(List.of("succeeded", "succeeded"), dry.get("status"));
      assertEquals(before, head(s, "bauplan_dev"), "a dry run commits nothing");

      s.execute("USE BRANCH bauplan_dev");
      rows(s.executeQuery("RUN PIPELINE 'seed_bauplan'"));
      assertEquals(column(s.executeQuery(EURO_SUMS), 2),
          column(s.executeQuery("SELECT country, round(usd, 6) FROM usd_by_country ORDER BY country"), 2),
          "without ON BRANCH the run targets the session's branch");
    }
  }

  @Test
  void aFailingModelLeavesTheTargetUnchangedAndNamesTheModel() throws Exception {
    Path project = projects.resolve("failing");
    Files.createDirectories(project);
    Files.writeString(project.resolve("models.py"), """
        import tarn

        @tarn.model(materialize=True)
        @tarn.python("3.11")
        def first(data=tarn.Model("transactions", columns=["id"])):
            return data

        @tarn.model(materialize=True)
        @tarn.python("3.11")
        def broken(data=tarn.Model("first")):
            raise ValueError("no rates for GBP")
        """);
    try (Connection c = server.connect(); Statement s = c.createStatement()) {
      String before = head(s, "main");
      // the first model's row may stream before the error that ends the result (which the stock
      // driver then throws unchecked from next())
      Exception failed = assertThrows(Exception.class, () -> rows(s.executeQuery("RUN PIPELINE 'failing'")));
      String message = failed.getMessage();
      assertTrue(message.contains("broken"), message);
      assertTrue(message.contains("ValueError") && message.contains("no rates for GBP"), message);
      assertTrue(message.contains("Traceback") || message.contains("line "), "the traceback: " + message);
      assertEquals(before, head(s, "main"), "the target branch is unchanged");
      assertEquals(List.of("1"), column(s.executeQuery("SELECT 1"), 1), "the connection keeps serving");

      Map<String, List<String>> runs = rows(s.executeQuery("SHOW RUNS"));
      int latest = runs.get("project").indexOf("failing");
      assertEquals("failed", runs.get("status").get(latest));
      String runBranch = runs.get("run_branch").get(latest);
      assertTrue(message.contains(runBranch), "the error names the kept run branch: " + message);
      assertTrue(column(s.executeQuery("SHOW BRANCHES ALL"), "name").contains(runBranch), "the run branch is kept");
      assertFalse(column(s.executeQuery("SHOW BRANCHES"), "name").contains(runBranch), "and hidden from lists");
    }
  }

  @Test
  void malformedModelOutputsFailTheirRunAndTheServerKeepsServingWhileWellFormedShapesPass() throws Exception {
    Path project = projects.resolve("malformed");
    Files.createDirectories(project);
    // pyarrow's basic checks let this through; DuckDB would read 100 MB past a 9-byte buffer
    Files.writeString(project.resolve("models.py"), """
        import struct
        import pyarrow as pa
        import tarn

        @tarn.model(materialize=True)
        @tarn.python("3.11")
        def malformed(data=tarn.Model("transactions", columns=["id"])):
            offsets = pa.py_buffer(struct.pack("<4i", 0, 100000000, 6, 9))
            names = pa.Array.from_buffers(pa.string(), 3, [None, offsets, pa.py_buffer(b"abcdefghi")])
            return pa.table({"name": names})
        """);
    // A large list whose first offset is -1: DuckDB would invalidate its database for every session
    Path negative = projects.resolve("negative_offset");
    Files.createDirectories(negative);
    Files.writeString(negative.resolve("models.py"), """
        import struct
        import pyarrow as pa
        import tarn

        @tarn.model(materialize=True)
        @tarn.python("3.11")
        def negative(data=tarn.Model("transactions", columns=["id"])):
            offsets = bytearray(struct.pack("<3q", 0, 0, 4))
            lists = pa.Array.from_buffers(pa.large_list(pa.int32()), 2, [None, pa.py_buffer(offsets)],
                                          children=[pa.array([1, 2, 3, 4], pa.int32())])
            table = pa.table({"l": lists})
            struct.pack_into("<q", offsets, 0, -1)  # after pyarrow's checks
            return table
        """);
    // and shapes that are well formed pass: fixed-size lists (embeddings), run-end encoded columns
    Path shapes = projects.resolve("shapes");
    Files.createDirectories(shapes);
    Files.writeString(shapes.resolve("models.py"), """
        import pyarrow as pa
        import pyarrow.compute as pc
        import tarn

        @tarn.model()
        @tarn.python("3.11")
        def embedded(data=tarn.Model("transactions", columns=["id"])):
            vectors = pa.FixedSizeListArray.from_arrays(pa.array([0.5] * (2 * data.num_rows), pa.float32()), 2)
            return pa.table({"id": data["id"], "v": vectors, "tag": pc.run_end_encode(pa.array(["x"] * data.num_rows))})

        @tarn.model(materialize=True)
        @tarn.python("3.11")
        def summed(data=tarn.Model("embedded")):
            return pa.table({"rows": [data.num_rows], "total": [sum(sum(v) for v in data["v"].to_pylist())],
                             "tags": [len(set(data["tag"].to_pylist()))]})
        """);
    try (Connection c = server.connect(); Statement s = c.createStatement()) {
      String before = head(s, "main");
      for (String name : List.of("malformed", "negative_offset")) {
        Exception failed = assertThrows(Exception.class, () -> rows(s.executeQuery("RUN PIPELINE '" + name + "'")));
        assertTrue(failed.getMessage().contains("not valid Arrow"), failed.getMessage());
        assertEquals(before, head(s, "main"), "the target branch is unchanged");
        assertEquals(List.of("1"), column(s.executeQuery("SELECT 1"), 1), "the connection keeps serving");
      }
      rows(s.executeQuery("RUN PIPELINE 'shapes'"));
      long rows = Long.parseLong(column(s.executeQuery("SELECT count(*) FROM transactions"), 1).get(0));
      assertEquals(List.of(rows + "|" + rows + ".0|1"),
          column(s.executeQuery("SELECT rows || '|' || total || '|' || tags FROM summed"), 1));
    }
  }

  @Test
  void projectsOutsideTheProjectsFolderAndBadOptionsAreRefused() throws Exception {
    try (Connection c = server.connect(); Statement s = c.createStatement()) {
      SQLException outside = assertThrows(SQLException.class,
          () -> s.executeQuery("RUN PIPELINE '../..'").close());
      assertTrue(outside.getMessage().contains("projects folder"), outside.getMessage());
      SQLException missing = assertThrows(SQLException.class,
          () -> s.executeQuery("RUN PIPELINE 'no_such_project'").close());
      assertTrue(missing.getMessage().contains("no_such_project"), missing.getMessage());
      SQLException option = assertThrows(SQLException.class,
          () -> s.executeQuery("RUN PIPELINE 'seed' WITH (dryrun = true)").close());
      assertTrue(option.getMessage().contains("dryrun"), option.getMessage());
      SQLException unknownRun = assertThrows(SQLException.class,
          () -> s.executeQuery("SHOW RUN 'nope'").close());
      assertTrue(unknownRun.getMessage().contains("nope"), unknownRun.getMessage());
    }
  }

  @Test
  void tarnRunSendsAProjectAndShowsProgress() throws Exception {
    try (Connection c = server.connect(); Statement s = c.createStatement()) {
      s.execute("CREATE BRANCH cli_dev FROM main");
      String url = "grpc://127.0.0.1:" + server.port();
      Cli.Outcome ok = tarn("run", "--url", url, "--branch", "cli_dev", REPO.resolve("examples/pipelines/seed").toString());
      assertEquals(0, ok.exit(), ok.err());
      assertTrue(ok.out().contains("euro_selection") && ok.out().contains("public.usd_by_country"), ok.out());
      assertTrue(ok.out().contains("merged into cli_dev"), ok.out());
      assertTrue(ok.out().indexOf("running   python       euro_selection")
          < ok.out().indexOf("succeeded python       euro_selection"), "each step shows as it starts: " + ok.out());
      assertEquals(column(s.executeQuery(EURO_SUMS), 2),
          column(s.executeQuery("SELECT country, round(usd, 6) FROM cli_dev.public.usd_by_country ORDER BY country"),
              2));

      String before = head(s, "cli_dev");
      Cli.Outcome failed = tarn("run", "--url", url, "--branch", "cli_dev", projects.resolve("failing_cli").toString());
      assertEquals(2, failed.exit(), "a missing folder is the caller's mistake");
      Path project = Files.createDirectories(projects.resolve("failing_cli"));
      Files.writeString(project.resolve("bad.py"), """
          import tarn

          @tarn.model(materialize=True)
          @tarn.python("3.11")
          def bad(data=tarn.Model("transactions", columns=["id"])):
              return 1 / 0
          """);
      failed = tarn("run", "--url", url, "--branch", "cli_dev", project.toString());
      assertEquals(1, failed.exit(), failed.out());
      assertTrue(failed.err().contains("ZeroDivisionError") && failed.err().contains("bad"), failed.err());
      assertEquals(before, head(s, "cli_dev"));
    }
  }

  /** {@code tarn run} prints the same whichever client runs it (see ClientParityTest for {@code tarn sql}). */
  @Test
  void theGoClientRunsAProjectAsTheJvmClientDoes() throws Exception {
    ClientProcess.assumeGoClientBuilt();
    try (Connection c = server.connect(); Statement s = c.createStatement()) {
      s.execute("CREATE BRANCH parity_run FROM main");
    }
    String url = "grpc://127.0.0.1:" + server.port();
    String seed = REPO.resolve("examples/pipelines/seed").toString();
    Path failing = Files.createDirectories(projects.resolve("failing_parity"));
    Files.writeString(failing.resolve("bad.py"), """
        import tarn

        @tarn.model()
        @tarn.python("3.11")
        def bad(data=tarn.Model("transactions", columns=["id"])):
            raise ValueError("boom\\r\\nsecond line\\rthird\\x1b[2J")
        """);
    for (List<String> call : List.of(
        List.of("run", "--url", url, "--branch", "parity_run", seed),
        List.of("run", "--url", url, "--branch", "parity_run", seed + "//"),
        List.of("run", "--url", url, "--branch", "parity_run", failing.toString()),
        List.of("run", "--url", url, "--branch", "parity_run", "--dry-run", seed),
        List.of("run", "--url", url, "--branch", "parity_run", projects.resolve("no_such_project").toString()),
        List.of("run", "--url", url, "--branch", "no_such_branch", seed))) {
      String[] args = call.toArray(new String[0]);
      Cli.Outcome jvm = tarn(args);
      Cli.Outcome go = ClientProcess.go(args);
      ClientProcess.assertSameOutcome(call, jvm, go, PipelineTest::runIndependent,
          text -> runIndependent(ClientProcess.withoutServerLog(text)));
    }
  }

  /** A run's output without what differs from run to run: ids, commit hashes, durations, cache hits. */
  private static String runIndependent(String output) {
    return output.replaceAll("run [0-9A-Za-z_-]+ succeeded", "run ID succeeded")
        .replaceAll("pipeline run [0-9a-f]+ ", "pipeline run ID ")
        .replaceAll("tarn_run_[0-9a-f]+", "tarn_run_ID")
        .replaceAll("\\([0-9]+ from cache\\)", "(K from cache)")
        .replaceAll("\\b[0-9a-f]{64}\\b", "HASH")
        .replaceAll("\\b[0-9]+ ms\\b", "N ms");
  }

  @Test
  void aClientGoingAwayCancelsItsRunAndLeavesTheBranchUnchanged() throws Exception {
    Path project = Files.createDirectories(projects.resolve("abandoned"));
    Files.writeString(project.resolve("slow.py"), """
        import tarn

        @tarn.model(materialize=True)
        @tarn.python("3.11")
        def slow(data=tarn.Model("transactions", columns=["id"])):
            import time
            time.sleep(120)
            return data
        """);
    byte[] request = ("{\"project\": \"abandoned\", \"files\": {\"slow.py\": \""
        + java.util.Base64.getEncoder().encodeToString(Files.readAllBytes(project.resolve("slow.py"))) + "\"}}")
        .getBytes(StandardCharsets.UTF_8);
    try (Connection c = server.connect(); Statement s = c.createStatement();
        org.apache.arrow.memory.BufferAllocator allocator = new org.apache.arrow.memory.RootAllocator();
        org.apache.arrow.flight.FlightClient client = org.apache.arrow.flight.FlightClient.builder(allocator,
            org.apache.arrow.flight.Location.forGrpcInsecure("127.0.0.1", server.port())).build()) {
      String before = head(s, "main");
      long start = System.nanoTime();
      assertThrows(org.apache.arrow.flight.FlightRuntimeException.class, () -> client.doAction(
          new org.apache.arrow.flight.Action("tarn.run_pipeline", request),
          org.apache.arrow.flight.CallOptions.timeout(3, java.util.concurrent.TimeUnit.SECONDS))
          .forEachRemaining(r -> { }));
      String status = null;
      String error = null;
      for (int i = 0; i < 100 && !"cancelled".equals(status); i++) {
        Thread.sleep(100);
        Map<String, List<String>> runs = rows(s.executeQuery("SHOW RUNS"));
        int run = runs.get("project").indexOf("abandoned");
        status = run < 0 ? null : runs.get("status").get(run);
        error = run < 0 ? null : runs.get("error").get(run);
      }
      assertEquals("cancelled", status, "the abandoned run stops instead of sleeping on");
      assertTrue(error.contains("cancelled"), error);
      assertTrue(System.nanoTime() - start < 60_000_000_000L, "stopped well before the model's two minutes");
      assertEquals(before, head(s, "main"));
    }
  }

  @Test
  void runPipelineStreamsEachModelsRowAsItEnds() throws Exception {
    Path project = Files.createDirectories(projects.resolve("streamed"));
    Files.writeString(project.resolve("models.py"), """
        import tarn

        @tarn.model(materialize=True)
        @tarn.python("3.11")
        def quick(data=tarn.Model("transactions", columns=["id"])):
            return data

        @tarn.model()
        @tarn.python("3.11")
        def slow(data=tarn.Model("quick")):
            import time
            time.sleep(4)
            return data
        """);
    try (Connection c = server.connect(); Statement s = c.createStatement();
        Connection other = server.connect(); Statement watcher = other.createStatement()) {
      s.execute("CREATE BRANCH streamed_dev FROM main");
      try (ResultSet rs = s.executeQuery("RUN PIPELINE 'streamed' ON BRANCH streamed_dev")) {
        assertTrue(rs.next());
        assertEquals("quick", rs.getString("model"));
        assertEquals("public.quick", rs.getString("materialized_as"));
        String runId = rs.getString("run_id");
        Map<String, List<String>> runs = rows(watcher.executeQuery("SHOW RUNS"));
        assertEquals("running", runs.get("status").get(runs.get("run_id").indexOf(runId)),
            "the first model's row is read while the slow model still runs");
        assertTrue(rs.next());
        assertEquals("slow", rs.getString("model"));
        assertEquals("succeeded", rs.getString("status"));
        assertFalse(rs.next());
      }
      assertTrue(column(s.executeQuery("SELECT count(*) FROM streamed_dev.public.quick"), 1).get(0).matches("[1-9].*"),
          "the run merged");
    }
  }

  @Test
  void cancellingRunPipelineStopsTheRunAndLeavesTheBranchUnchanged() throws Exception {
    Path project = Files.createDirectories(projects.resolve("cancelled"));
    Files.writeString(project.resolve("models.py"), """
        import tarn

        @tarn.model(materialize=True)
        @tarn.python("3.11")
        def written(data=tarn.Model("transactions", columns=["id"])):
            return data

        @tarn.model()
        @tarn.python("3.11")
        def endless(data=tarn.Model("written")):
            import time
            time.sleep(120)
            return data
        """);
    try (Connection c = server.connect(); Statement s = c.createStatement();
        Connection other = server.connect(); Statement watcher = other.createStatement()) {
      watcher.execute("CREATE BRANCH cancelled_dev FROM main");
      String before = head(watcher, "cancelled_dev");
      long start = System.nanoTime();
      ResultSet rs = s.executeQuery("RUN PIPELINE 'cancelled' ON BRANCH cancelled_dev");
      assertTrue(rs.next());
      String cancelled = rs.getString("run_id");
      s.cancel();
      assertThrows(SQLException.class, () -> {
        while (rs.next()) {
          // the endless model's row never comes: the cancel ends the result
        }
      });
      assertEquals("cancelled", awaitEnd(watcher, cancelled), "the cancelled run stops instead of sleeping on");
      assertTrue(System.nanoTime() - start < 60_000_000_000L, "stopped well before the model's two minutes");
      assertEquals(before, head(watcher, "cancelled_dev"), "the target branch is unchanged");

      // a client's deadline on fetching the rows (the stock JDBC driver's setQueryTimeout bounds no
      // fetch, so a Flight SQL client states it)
      try (org.apache.arrow.memory.BufferAllocator allocator = new org.apache.arrow.memory.RootAllocator();
          org.apache.arrow.flight.sql.FlightSqlClient client = new org.apache.arrow.flight.sql.FlightSqlClient(
              org.apache.arrow.flight.FlightClient.builder(allocator,
                  org.apache.arrow.flight.Location.forGrpcInsecure("127.0.0.1", server.port())).build())) {
        org.apache.arrow.flight.FlightInfo info = client.execute("RUN PIPELINE 'cancelled' ON BRANCH cancelled_dev");
        Exception timeout = assertThrows(org.apache.arrow.flight.FlightRuntimeException.class, () -> {
          try (org.apache.arrow.flight.FlightStream stream = client.getStream(info.getEndpoints().get(0).getTicket(),
              org.apache.arrow.flight.CallOptions.timeout(3, java.util.concurrent.TimeUnit.SECONDS))) {
            while (stream.next()) {
              // the endless model's row never comes before the deadline
            }
          }
        });
        Map<String, List<String>> runs = rows(watcher.executeQuery("SHOW RUNS"));
        List<String> others = new ArrayList<>();
        for (int i = 0; i < runs.get("run_id").size(); i++) {
          if (runs.get("project").get(i).equals("cancelled") && !runs.get("run_id").get(i).equals(cancelled)) {
            others.add(runs.get("run_id").get(i));
          }
        }
        assertEquals(1, others.size(), "the second run: " + timeout);
        String timedOut = others.get(0);
        assertEquals("cancelled", awaitEnd(watcher, timedOut), "a query timeout stops the run: " + timeout);
      }
      assertEquals(before, head(watcher, "cancelled_dev"), "the target branch is unchanged");
      try (Statement next = c.createStatement()) {
        assertEquals(List.of("1"), column(next.executeQuery("SELECT 1"), 1), "the connection keeps serving");
      }
    }
  }

  @Test
  void aRunWhoseRowsAreNeverReadGoesOnToItsEnd() throws Exception {
    Path project = Files.createDirectories(projects.resolve("unread"));
    Files.writeString(project.resolve("models.py"), """
        import tarn

        @tarn.model(materialize=True)
        @tarn.python("3.11")
        def unread(data=tarn.Model("transactions", columns=["id"])):
            import time
            time.sleep(3)
            return data
        """);
    try (Connection c = server.connect(); Statement watcher = c.createStatement()) {
      watcher.execute("CREATE BRANCH unread_dev FROM main");
      // GetFlightInfo starts the run; its rows are never fetched (no DoGet), and the client goes away.
      // (A JDBC driver that starts fetching in the background and then closes cancels instead.)
      try (org.apache.arrow.memory.BufferAllocator allocator = new org.apache.arrow.memory.RootAllocator();
          org.apache.arrow.flight.FlightClient flight = org.apache.arrow.flight.FlightClient.builder(allocator,
              org.apache.arrow.flight.Location.forGrpcInsecure("127.0.0.1", server.port())).build()) {
        new org.apache.arrow.flight.sql.FlightSqlClient(flight).execute("RUN PIPELINE 'unread' ON BRANCH unread_dev");
      }
      Map<String, List<String>> runs = rows(watcher.executeQuery("SHOW RUNS"));
      String runId = runs.get("run_id").get(runs.get("project").indexOf("unread"));
      assertEquals("succeeded", awaitEnd(watcher, runId));
      assertFalse(column(watcher.executeQuery("SELECT count(*) FROM unread_dev.public.unread"), 1).isEmpty());
    }
  }

  @Test
  void killQueryStopsAStreamingRun() throws Exception {
    Path project = Files.createDirectories(projects.resolve("killed"));
    Files.writeString(project.resolve("models.py"), """
        import tarn

        @tarn.model(materialize=True)
        @tarn.python("3.11")
        def endless(data=tarn.Model("transactions", columns=["id"])):
            import time
            time.sleep(120)
            return data
        """);
    String sql = "RUN PIPELINE 'killed' ON BRANCH killed_dev";
    try (Connection victim = server.connect(); Statement s = victim.createStatement();
        Connection admin = server.connect(); Statement a = admin.createStatement()) {
      a.execute("CREATE BRANCH killed_dev FROM main");
      String before = head(a, "killed_dev");
      java.util.concurrent.CompletableFuture<Object> running = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
        try {
          return rows(s.executeQuery(sql));
        } catch (Exception e) {
          return e;
        }
      });
      String queryId = null;
      for (int i = 0; i < 300 && queryId == null; i++) {
        Map<String, List<String>> queries = rows(a.executeQuery("SHOW QUERIES"));
        int at = queries.get("statement").indexOf(sql);
        queryId = at < 0 ? null : queries.get("query_id").get(at);
        Thread.sleep(100);
      }
      assertTrue(queryId != null, "the run shows in SHOW QUERIES");
      a.execute("KILL QUERY '" + queryId + "'");
      Object outcome = running.get(60, java.util.concurrent.TimeUnit.SECONDS);
      assertTrue(outcome instanceof Exception, String.valueOf(outcome));
      String message = ((Exception) outcome).getMessage();
      assertTrue(message.contains("statement " + queryId + " was killed"), message);
      Map<String, List<String>> runs = rows(a.executeQuery("SHOW RUNS"));
      assertEquals("cancelled", runs.get("status").get(runs.get("project").indexOf("killed")));
      assertEquals(before, head(a, "killed_dev"), "the target branch is unchanged");
    }
  }

  @Test
  void theRunActionStreamsPrintedLinesWhileTheModelRunsAndBoundsAFlood() throws Exception {
    String models = """
        import tarn

        @tarn.model()
        @tarn.python("3.11")
        def chatty(data=tarn.Model("transactions", columns=["id"])):
            import sys, time
            print("before the nap 日本 ✓")
            print("a warning", file=sys.stderr)
            time.sleep(3)
            print("after the nap")
            return data

        # after chatty: its lines must not queue behind the flood's in the one result stream
        @tarn.model()
        @tarn.python("3.11")
        def flood(data=tarn.Model("chatty")):
            print("x" * 10000)
            for i in range(1_000_000):
                print(i)
            print("the last line")
            return data
        """;
    List<JsonEvent> events = new ArrayList<>();
    long start = System.nanoTime();
    runAction("chatty", models, r -> {
      try {
        events.add(new JsonEvent(System.nanoTime() - start, JSON.readTree(r.getBody())));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    List<JsonEvent> chatty = events.stream().filter(e -> e.isLog() && e.json().path("step").asText().equals("chatty"))
        .toList();
    assertEquals(List.of("before the nap 日本 ✓", "a warning", "after the nap"),
        chatty.stream().map(e -> e.json().path("line").asText()).toList());
    assertEquals(List.of("stdout", "stderr", "stdout"),
        chatty.stream().map(e -> e.json().path("stream").asText()).toList());
    assertTrue(chatty.get(2).nanos() - chatty.get(0).nanos() > 2_000_000_000L,
        () -> "the first line arrives while the model sleeps, not at its end: " + chatty);
    JsonEvent running = events.stream().filter(e -> e.json().path("event").asText().equals("step")
        && e.json().path("step").asText().equals("chatty") && e.json().path("status").asText().equals("running"))
        .findFirst().orElseThrow();
    assertTrue(running.nanos() <= chatty.get(0).nanos(), "the step's running event comes before its lines");

    List<String> flood = events.stream().filter(e -> e.isLog() && e.json().path("step").asText().equals("flood"))
        .map(e -> e.json().path("line").asText()).toList();
    assertTrue(flood.get(0).endsWith("[… line cut at 4096 bytes]") && flood.get(0).length() < 4200, "a long line is cut");
    assertTrue(flood.size() <= 10_001, "a flood is followed only so far: " + flood.size());
    assertTrue(flood.get(flood.size() - 1).contains("not shown live"), flood.get(flood.size() - 1));
    String runId = events.get(events.size() - 1).json().path("run_id").asText();
    try (Connection c = server.connect(); Statement s = c.createStatement()) {
      Map<String, List<String>> steps = rows(s.executeQuery("SHOW RUN '" + runId + "'"));
      String logs = steps.get("logs").get(steps.get("step").indexOf("flood"));
      assertTrue(logs.contains("the last line"), "the run record still keeps the end of the output");
      String chattyLogs = steps.get("logs").get(steps.get("step").indexOf("chatty"));
      assertTrue(chattyLogs.contains("after the nap") && chattyLogs.contains("a warning"), chattyLogs);
    }
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

  private record JsonEvent(long nanos, com.fasterxml.jackson.databind.JsonNode json) {
    boolean isLog() {
      return json.path("event").asText().equals("log");
    }
  }

  /** Runs the tarn.run_pipeline action for one models.py, handing on each result as the client receives it. */
  private static void runAction(String project, String models,
      java.util.function.Consumer<org.apache.arrow.flight.Result> results) throws Exception {
    byte[] request = ("{\"project\": \"" + project + "\", \"files\": {\"models.py\": \""
        + java.util.Base64.getEncoder().encodeToString(models.getBytes(StandardCharsets.UTF_8)) + "\"}}")
        .getBytes(StandardCharsets.UTF_8);
    try (org.apache.arrow.memory.BufferAllocator allocator = new org.apache.arrow.memory.RootAllocator();
        org.apache.arrow.flight.FlightClient client = org.apache.arrow.flight.FlightClient.builder(allocator,
            org.apache.arrow.flight.Location.forGrpcInsecure("127.0.0.1", server.port())).build()) {
      client.doAction(new org.apache.arrow.flight.Action("tarn.run_pipeline", request))
          .forEachRemaining(results);
    }
  }

  /** The status of a run once it is no longer running (waiting up to 20 s). */
  private static String awaitEnd(Statement s, String runId) throws Exception {
    String status = "running";
    for (int i = 0; i < 200 && status.equals("running"); i++) {
      Thread.sleep(100);
      Map<String, List<String>> runs = rows(s.executeQuery("SHOW RUNS"));
      status = runs.get("status").get(runs.get("run_id").indexOf(runId));
    }
    return status;
  }

  private static String head(Statement s, String branch) throws SQLException {
    Map<String, List<String>> refs = rows(s.executeQuery("SHOW BRANCHES"));
    return refs.get("commit_hash").get(refs.get("name").indexOf(branch));
  }

  /** Every column of a result by name, values as strings. */
  static Map<String, List<String>> rows(ResultSet rs) throws SQLException {
    Map<String, List<String>> columns = new LinkedHashMap<>();
    try (rs) {
      int n = rs.getMetaData().getColumnCount();
      for (int i = 1; i <= n; i++) {
        columns.put(rs.getMetaData().getColumnName(i), new ArrayList<>());
      }
      while (rs.next()) {
        for (int i = 1; i <= n; i++) {
          columns.get(rs.getMetaData().getColumnName(i)).add(rs.getString(i));
        }
      }
    }
    return columns;
  }

  private static void copy(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (var files = Files.list(from)) {
      for (Path f : files.toList()) {
        Files.copy(f, to.resolve(f.getFileName()));
      }
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (var files = Files.walk(root)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
