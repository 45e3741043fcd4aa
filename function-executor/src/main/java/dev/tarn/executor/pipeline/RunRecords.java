package dev.tarn.executor.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recorded pipeline runs ({@code SHOW RUNS}, {@code SHOW RUN id}): the newest {@value #KEPT}
 * in memory, newest first. With a folder, every run is also a JSON file {@code <id>.json} there,
 * written when the run is first recorded and again when it ends (progress in between stays in
 * memory), and read back when the store opens. A run still marked running in its file was cut short
 * by a restart: it is shown as failed, saying so. Files of runs beyond the newest {@value #KEPT} are
 * deleted with them.
 *
 * <p>Thread-safe; {@link #save} fits a {@link RunListener} ({@code records::save}).
 */
public final class RunRecords {
  private static final Logger LOG = LoggerFactory.getLogger(RunRecords.class);
  public static final int KEPT = 1_000;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9_-]+\\.json");
  private static final Comparator<RunRecord> NEWEST_FIRST = Comparator
      .comparing(RunRecord::startedAt, Comparator.nullsLast(Comparator.reverseOrder()))
      .thenComparing(RunRecord::id, Comparator.reverseOrder());

  private final Path folder;
  private final Map<String, RunRecord> runs = new HashMap<>(); // guarded by this

  /**
   * Runs kept in {@code folder} (created if missing) as well as in memory, the runs already there
   * loaded (unreadable files are skipped with a warning); with a null folder, in memory only.
   */
  public RunRecords(Path folder) {
    this.folder = folder;
    if (folder == null) {
      return;
    }
    try {
      Files.createDirectories(folder);
      try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*.json")) {
        for (Path file : files) {
          load(file);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the pipeline run records in " + folder + ": " + e.getMessage(), e);
    }
    synchronized (this) {
      evict();
    }
  }

  /** Runs kept in memory only (lost at restart). */
  public static RunRecords inMemory() {
    return new RunRecords(null);
  }

  /** Records a run's current state (the listener of a run may call this after every change). */
  public synchronized void save(RunRecord record) {
    RunRecord previous = runs.put(record.id(), record);
    if (folder != null && (previous == null || record.status() != RunRecord.Status.RUNNING)) {
      write(record);
    }
    evict();
  }

  /** Every kept run, newest first. */
  public synchronized List<RunRecord> list() {
    List<RunRecord> all = new ArrayList<>(runs.values());
    all.sort(NEWEST_FIRST);
    return all;
  }

  public synchronized Optional<RunRecord> find(String id) {
    return Optional.ofNullable(runs.get(id));
  }

  private void evict() {
    if (runs.size() <= KEPT) {
      return;
    }
    List<RunRecord> all = list();
    for (RunRecord old : all.subList(KEPT, all.size())) {
      runs.remove(old.id());
      if (folder != null) {
        try {
          Files.deleteIfExists(fileOf(old.id()));
        } catch (IOException e) {
          LOG.warn("cannot delete the old pipeline run record {}: {}", fileOf(old.id()), e.getMessage());
        }
      }
    }
  }

  private Path fileOf(String id) {
    return folder.resolve(id + ".json");
  }

  private void write(RunRecord record) {
    Path file = fileOf(record.id());
    Path temp = folder.resolve(record.id() + ".json.tmp");
    try {
      JSON.writerWithDefaultPrettyPrinter().writeValue(temp.toFile(), toJson(record));
      try {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the record of pipeline run " + record.id() + " to " + file
          + ": " + e.getMessage(), e);
    }
  }

  private void load(Path file) {
    if (!FILE_NAME.matcher(file.getFileName().toString()).matches()) {
      return;
    }
    RunRecord record;
    try {
      record = fromJson(JSON.readTree(file.toFile()));
    } catch (IOException | RuntimeException e) {
      LOG.warn("skipping the unreadable pipeline run record {}: {}", file, e.getMessage());
      return;
    }
    if (record.status() == RunRecord.Status.RUNNING) {
      record = interrupted(record, lastModified(file));
      synchronized (this) {
        runs.put(record.id(), record);
        write(record);
      }
      return;
    }
    synchronized (this) {
      runs.put(record.id(), record);
    }
  }

  /** A run the server stopped in the middle of: failed, its unfinished steps marked as such. */
  private static RunRecord interrupted(RunRecord r, Instant lastSeen) {
    List<StepRecord> steps = new ArrayList<>();
    for (StepRecord s : r.steps()) {
      steps.add(switch (s.status()) {
        case PENDING -> s.withStatus(StepRecord.Status.SKIPPED);
        case RUNNING -> new StepRecord(s.step(), s.model(), s.kind(), StepRecord.Status.FAILED, s.rows(),
            s.durationMs(), s.materializedAs(), s.environment(), s.detail(), s.logs(), "interrupted by a restart");
        default -> s;
      });
    }
    String error = "pipeline run " + r.id() + " was interrupted: the server stopped while it was running, so it "
        + "did not finish" + (r.runBranch() == null ? ""
            : "; its branch '" + r.runBranch() + "' may remain: inspect it, then DROP BRANCH " + r.runBranch())
        + ". Run the pipeline again";
    return new RunRecord(r.id(), r.project(), r.projectName(), r.targetBranch(), r.runBranch(), RunRecord.Status.FAILED,
        r.dryRun(), r.user(), r.startedAt(), lastSeen, r.targetHashBefore(), r.mergeCommit(), error, steps);
  }

  private static Instant lastModified(Path file) {
    try {
      return Files.getLastModifiedTime(file).toInstant();
    } catch (IOException e) {
      return Instant.now();
    }
  }

  // ---- JSON: instants as ISO-8601 strings ----

  static ObjectNode toJson(RunRecord r) {
    ObjectNode o = JSON.createObjectNode();
    o.put("id", r.id());
    o.put("project", r.project());
    o.put("projectName", r.projectName());
    o.put("targetBranch", r.targetBranch());
    o.put("runBranch", r.runBranch());
    o.put("status", r.status().name());
    o.put("dryRun", r.dryRun());
    o.put("user", r.user());
    o.put("startedAt", r.startedAt() == null ? null : r.startedAt().toString());
    o.put("finishedAt", r.finishedAt() == null ? null : r.finishedAt().toString());
    o.put("targetHashBefore", r.targetHashBefore());
    o.put("mergeCommit", r.mergeCommit());
    o.put("error", r.error());
    ArrayNode steps = o.putArray("steps");
    for (StepRecord s : r.steps()) {
      ObjectNode step = steps.addObject();
      step.put("step", s.step());
      step.put("model", s.model());
      step.put("kind", s.kind());
      step.put("status", s.status().name());
      step.put("rows", s.rows());
      step.put("durationMs", s.durationMs());
      step.put("materializedAs", s.materializedAs());
      step.put("environment", s.environment());
      step.put("detail", s.detail());
      step.put("logs", s.logs());
      step.put("error", s.error());
    }
    return o;
  }

  static RunRecord fromJson(JsonNode o) {
    List<StepRecord> steps = new ArrayList<>();
    for (JsonNode s : o.path("steps")) {
      steps.add(new StepRecord(text(s, "step"), text(s, "model"), text(s, "kind"),
          StepRecord.Status.valueOf(text(s, "status")), s.path("rows").asLong(), s.path("durationMs").asLong(),
          text(s, "materializedAs"), text(s, "environment"), text(s, "detail"), text(s, "logs"), text(s, "error")));
    }
    String started = text(o, "startedAt");
    String finished = text(o, "finishedAt");
    String id = text(o, "id");
    if (id == null) {
      throw new IllegalArgumentException("a run record without an id");
    }
    return new RunRecord(id, text(o, "project"), text(o, "projectName"), text(o, "targetBranch"),
        text(o, "runBranch"), RunRecord.Status.valueOf(text(o, "status")), o.path("dryRun").asBoolean(),
        text(o, "user"), started == null ? null : Instant.parse(started),
        finished == null ? null : Instant.parse(finished), text(o, "targetHashBefore"), text(o, "mergeCommit"),
        text(o, "error"), steps);
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
