package dev.tarn.catalog.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.catalog.At;
import dev.tarn.catalog.BranchCatalog;
import dev.tarn.catalog.CommitInfo;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A writer process killed with SIGKILL in the middle of a stream of commits loses no acknowledged
 * commit and shows no partial one after the catalog is reopened.
 */
class EmbeddedCrashTest {
  @TempDir Path warehouse;

  @Test
  void sigkillMidStreamLosesNoAcknowledgedCommit() throws Exception {
    for (int round = 0; round < 2; round++) {
      List<String> acked = runAndKill(15 + round * 7);
      try (EmbeddedBranchCatalog catalog = EmbeddedBranchCatalog.open(warehouse)) {
        List<CommitInfo> log = catalog.log(At.branch(BranchCatalog.DEFAULT_BRANCH), 100_000);
        List<String> hashes = log.stream().map(CommitInfo::hash).toList();
        assertTrue(hashes.containsAll(acked), "every acknowledged commit is in the log");
        long inserts = log.stream().filter(c -> c.message().equals("INSERT")).count();
        assertTrue(inserts >= acked.size());
        // no partial commit: the table's metadata is complete and holds one file per INSERT
        Table t = catalog.loadTable(At.branch(BranchCatalog.DEFAULT_BRANCH), CrashWriter.TABLE);
        long files = 0;
        try (var tasks = t.newScan().planFiles()) {
          for (var ignored : tasks) {
            files++;
          }
        }
        assertEquals(inserts, files);
      }
    }
  }

  /** Starts a writer, waits for {@code acks} acknowledged commits, kills it with SIGKILL. */
  private List<String> runAndKill(int acks) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
        CrashWriter.class.getName(), warehouse.toString())
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    List<String> acked = new ArrayList<>();
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while (acked.size() < acks && (line = out.readLine()) != null) {
        if (line.startsWith("ACK ")) {
          acked.add(line.substring(4));
        }
      }
      // SIGKILL on Unix: no shutdown hooks, no close. Through the handle, so that our end of
      // the pipe stays open: acknowledgements printed before the kill landed still count.
      p.toHandle().destroyForcibly();
      while ((line = out.readLine()) != null) {
        if (line.startsWith("ACK ")) {
          acked.add(line.substring(4));
        }
      }
    } finally {
      p.destroyForcibly();
      assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    }
    assertTrue(acked.size() >= acks, "the writer acknowledged " + acked.size() + " commits");
    return acked;
  }
}
