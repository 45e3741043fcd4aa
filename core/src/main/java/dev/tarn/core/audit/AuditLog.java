package dev.tarn.core.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit records: appended as JSON lines (one object per record) to one file per UTC day,
 * {@code audit-YYYY-MM-DD.jsonl} in the audit folder, and the newest {@value #WINDOW} kept in memory
 * for {@code SHOW AUDIT} and {@code SHOW HISTORY} (read back from the files at start).
 *
 * <p>Each record is written to its file when its statement ends, so it survives a process kill;
 * the file is forced to disk within a second and at shutdown (not per record: a statement would
 * pay an fsync for its own audit line), so a power loss may lose the last second of records.
 * Files older than the retention are deleted at start and once a day.
 */
public final class AuditLog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PREFIX = "audit-";
  private static final String SUFFIX = ".jsonl";
  public static final int DEFAULT_RETENTION_DAYS = 30;
  /** Records kept in memory for queries. */
  static final int WINDOW = 10_000;

  private final Path folder;
  private final int retentionDays;
  private final Clock clock;
  private final Deque<AuditRecord> window = new ArrayDeque<>();
  private final ScheduledExecutorService chores;
  private FileChannel file;
  private LocalDate fileDay;
  private boolean unsynced;
  private boolean closed;

  private AuditLog(Path folder, int retentionDays, Clock clock, boolean background) {
    if (retentionDays < 1) {
      throw new IllegalArgumentException("--audit-retention-days must be at least 1, not " + retentionDays);
    }
    this.folder = folder;
    this.retentionDays = retentionDays;
    this.clock = clock;
    this.chores = background ? Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "tarn-audit");
      t.setDaemon(true);
      return t;
    }) : null;
  }

  /**
   * Opens the audit folder (created if missing), deletes files past the retention and reads the
   * newest records back into memory.
   */
  public static AuditLog open(Path folder, int retentionDays) {
    AuditLog log = new AuditLog(folder, retentionDays, Clock.systemUTC(), true);
    log.start();
    log.chores.scheduleWithFixedDelay(log::syncQuietly, 1, 1, TimeUnit.SECONDS);
    log.chores.scheduleWithFixedDelay(log::pruneQuietly, 1, 1, TimeUnit.DAYS);
    return log;
  }

  /** For tests: a log on this clock, with no background syncing or pruning (call {@link #sync} and {@link #prune}). */
  static AuditLog open(Path folder, int retentionDays, Clock clock) {
    AuditLog log = new AuditLog(folder, retentionDays, clock, false);
    log.start();
    return log;
  }

  private void start() {
    try {
      Files.createDirectories(folder);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the audit folder " + folder + ": " + e.getMessage(), e);
    }
    prune();
    load();
  }

  public Path folder() {
    return folder;
  }

  public int retentionDays() {
    return retentionDays;
  }

  /** Appends a record to today's file and to the in-memory window. A failing disk is logged, never the statement's problem. */
  public synchronized void append(AuditRecord record) {
    window.addLast(record);
    while (window.size() > WINDOW) {
      window.removeFirst();
    }
    if (closed) {
      return;
    }
    try {
      ByteBuffer line = ByteBuffer.wrap((JSON.writeValueAsString(toJson(record)) + "\n")
          .getBytes(StandardCharsets.UTF_8));
      FileChannel channel = fileFor(LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC));
      while (line.hasRemaining()) {
        channel.write(line);
      }
      unsynced = true;
    } catch (IOException e) {
      LOG.error("writing an audit record to {} failed: {}", folder, e.toString());
    }
  }

  /** The newest records first, at most {@code limit}, of those {@code visible} accepts. */
  public synchronized List<AuditRecord> newest(int limit, Predicate<AuditRecord> visible) {
    List<AuditRecord> out = new ArrayList<>();
    for (Iterator<AuditRecord> it = window.descendingIterator(); it.hasNext() && out.size() < limit; ) {
      AuditRecord record = it.next();
      if (visible.test(record)) {
        out.add(record);
      }
    }
    return out;
  }

  /**
   * Forces written records to disk. The force runs outside the lock: statements appending their
   * records meanwhile must not wait for the disk.
   */
  public void sync() throws IOException {
    FileChannel toForce;
    synchronized (this) {
      if (file == null || !unsynced) {
        return;
      }
      toForce = file;
      unsynced = false;
    }
    try {
      toForce.force(false);
    } catch (java.nio.channels.ClosedChannelException closed) {
      // a new day's file replaced it, or the log closed: both forced it first
    }
  }

  /** Deletes the files of days past the retention, and forgets their records. */
  public synchronized void prune() {
    LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    LocalDate oldestKept = today.minusDays(retentionDays);
    for (var entry : files().entrySet()) {
      if (entry.getKey().isBefore(oldestKept)) {
        try {
          Files.deleteIfExists(entry.getValue());
          LOG.info("deleted audit records of {} (older than --audit-retention-days {})", entry.getKey(),
              retentionDays);
        } catch (IOException e) {
          LOG.warn("cannot delete old audit file {}: {}", entry.getValue(), e.toString());
        }
      }
    }
    Instant cutoff = oldestKept.atStartOfDay(ZoneOffset.UTC).toInstant();
    window.removeIf(r -> r.time().isBefore(cutoff));
  }

  /** The audit files by their day, oldest first. */
  private TreeMap<LocalDate, Path> files() {
    TreeMap<LocalDate, Path> days = new TreeMap<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder, PREFIX + "*" + SUFFIX)) {
      for (Path path : entries) {
        String name = path.getFileName().toString();
        try {
          days.put(LocalDate.parse(name.substring(PREFIX.length(), name.length() - SUFFIX.length())), path);
        } catch (DateTimeParseException ignored) {
          // not one of ours
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the audit folder " + folder + ": " + e.getMessage(), e);
    }
    return days;
  }

  /** Reads the newest records back, newest files last; a torn last line (a crash mid-write) is skipped. */
  private void load() {
    List<Path> newestFirst = new ArrayList<>(files().descendingMap().values());
    Deque<AuditRecord> loaded = new ArrayDeque<>();
    for (Path path : newestFirst) {
      if (loaded.size() >= WINDOW) {
        break;
      }
      List<AuditRecord> ofFile = new ArrayList<>();
      try {
        for (String line : Files.readAllLines(path, StandardCharsets.UTF_8)) {
          if (!line.isBlank()) {
            try {
              ofFile.add(fromJson(JSON.readTree(line)));
            } catch (IOException | RuntimeException e) {
              LOG.warn("skipping an unreadable audit line in {}: {}", path, e.getMessage());
            }
          }
        }
      } catch (IOException e) {
        LOG.warn("cannot read audit file {}: {}", path, e.toString());
      }
      for (int i = ofFile.size() - 1; i >= 0 && loaded.size() < WINDOW; i--) {
        loaded.addFirst(ofFile.get(i));
      }
    }
    window.addAll(loaded);
  }

  private FileChannel fileFor(LocalDate day) throws IOException {
    if (file != null && day.equals(fileDay)) {
      return file;
    }
    if (file != null) {
      file.force(false);
      file.close();
      file = null;
    }
    Path path = folder.resolve(PREFIX + day + SUFFIX);
    boolean created = !Files.exists(path);
    FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND);
    if (created) {
      syncFolder();
    } else if (channel.size() > 0 && !endsWithNewline(path, channel.size())) {
      // a line torn by a crash: the next record starts on a line of its own
      channel.write(ByteBuffer.wrap(new byte[] {'\n'}));
    }
    file = channel;
    fileDay = day;
    return channel;
  }

  private static boolean endsWithNewline(Path path, long size) throws IOException {
    try (FileChannel read = FileChannel.open(path, StandardOpenOption.READ)) {
      ByteBuffer last = ByteBuffer.allocate(1);
      read.read(last, size - 1);
      return last.get(0) == '\n';
    }
  }

  /** Makes a new file's name durable, as a new data file's is. */
  private void syncFolder() {
    try (FileChannel dir = FileChannel.open(folder, StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      LOG.debug("cannot sync the audit folder: {}", e.toString()); // some platforms cannot open folders
    }
  }

  private void syncQuietly() {
    try {
      sync();
    } catch (IOException e) {
      LOG.error("forcing audit records to disk failed: {}", e.toString());
    }
  }

  private void pruneQuietly() {
    try {
      prune();
    } catch (RuntimeException e) {
      LOG.warn("pruning audit records failed: {}", e.toString());
    }
  }

  static ObjectNode toJson(AuditRecord r) {
    ObjectNode node = JSON.createObjectNode();
    node.put("time", r.time().toString());
    node.put("query_id", r.queryId());
    node.put("user", r.user());
    node.put("session_id", r.sessionId());
    node.put("client_address", r.clientAddress());
    node.put("reference", r.reference());
    node.put("commit", r.commit());
    node.put("kind", r.kind());
    node.put("statement", r.statement());
    node.put("outcome", r.outcome());
    node.put("error_class", r.errorClass());
    node.put("error", r.error());
    node.put("rows", r.rows());
    node.put("bytes", r.bytes());
    node.put("duration_ms", r.durationMs());
    return node;
  }

  static AuditRecord fromJson(JsonNode n) {
    return new AuditRecord(Instant.parse(n.path("time").asText()), text(n, "query_id"), n.path("user").asText(),
        text(n, "session_id"), text(n, "client_address"), text(n, "reference"), text(n, "commit"),
        n.path("kind").asText(), n.path("statement").asText(""), n.path("outcome").asText(),
        text(n, "error_class"), text(n, "error"), n.path("rows").asLong(), n.path("bytes").asLong(),
        n.path("duration_ms").asLong());
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  @Override
  public synchronized void close() {
    if (chores != null) {
      chores.shutdownNow();
    }
    if (closed) {
      return;
    }
    closed = true;
    if (file != null) {
      try {
        file.force(false);
        file.close();
      } catch (IOException e) {
        LOG.error("closing the audit file failed: {}", e.toString());
      }
    }
  }

  /** How long records are kept. */
  public Duration retention() {
    return Duration.ofDays(retentionDays);
  }
}
