package dev.tarn.core.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit file: JSON lines per day, retention, bounded texts, reading back after a restart or a crash. */
class AuditLogTest {
  private static final Instant DAY_1 = Instant.parse("2026-03-01T10:00:00Z");

  /** A clock the test moves. */
  private static final class TestClock extends Clock {
    Instant now;

    TestClock(Instant now) {
      this.now = now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private static AuditRecord record(Instant time, String user, String statement) {
    return new AuditRecord(time, "q-1", user, "s-1", "127.0.0.1:5000", "main", null, "query", statement, "ok",
        null, null, 1, 8, 3);
  }

  private static List<String> statements(AuditLog log) {
    return log.newest(100, r -> true).stream().map(AuditRecord::statement).toList();
  }

  @Test
  void recordsPastTheRetentionArePrunedAtStartAndWhilePruning(@TempDir Path folder) throws Exception {
    TestClock clock = new TestClock(DAY_1);
    try (AuditLog log = AuditLog.open(folder, 30, clock)) {
      log.append(record(clock.now, "alice", "SELECT 'day 1'"));
      clock.now = DAY_1.plus(java.time.Duration.ofDays(20));
      log.append(record(clock.now, "alice", "SELECT 'day 21'"));
    }
    assertTrue(Files.exists(folder.resolve("audit-2026-03-01.jsonl")));
    assertTrue(Files.exists(folder.resolve("audit-2026-03-21.jsonl")));

    clock.now = DAY_1.plus(java.time.Duration.ofDays(32));
    try (AuditLog log = AuditLog.open(folder, 30, clock)) {
      assertFalse(Files.exists(folder.resolve("audit-2026-03-01.jsonl")), "older than 30 days: deleted at start");
      assertEquals(List.of("SELECT 'day 21'"), statements(log));

      clock.now = DAY_1.plus(java.time.Duration.ofDays(60));
      log.prune(); // what the daily chore does
      assertFalse(Files.exists(folder.resolve("audit-2026-03-21.jsonl")));
      assertEquals(List.of(), statements(log));
    }
  }

  @Test
  void recordsSurviveARestartAndATornLastLine(@TempDir Path folder) throws Exception {
    TestClock clock = new TestClock(DAY_1);
    try (AuditLog log = AuditLog.open(folder, 30, clock)) {
      for (int i = 1; i <= 3; i++) {
        log.append(record(clock.now, "alice", "SELECT " + i));
      }
      log.sync();
    }
    Path file = folder.resolve("audit-2026-03-01.jsonl");
    assertEquals(3, Files.readAllLines(file).size());
    // a crash in the middle of writing a line
    Files.writeString(file, "{\"time\":\"2026-03-01T1", StandardOpenOption.APPEND);

    try (AuditLog log = AuditLog.open(folder, 30, clock)) {
      assertEquals(List.of("SELECT 3", "SELECT 2", "SELECT 1"), statements(log)); // newest first
      log.append(record(clock.now, "alice", "SELECT 4"));
    }
    try (AuditLog log = AuditLog.open(folder, 30, clock)) {
      assertEquals(List.of("SELECT 4", "SELECT 3", "SELECT 2", "SELECT 1"), statements(log));
    }
  }

  @Test
  void everyFieldRoundTripsThroughJson(@TempDir Path folder) {
    AuditRecord full = new AuditRecord(DAY_1, "q-abc", "zoë", "token-1", "[::1]:9", "dev at commit 0123",
        "feedbeef", "dml", "INSERT INTO t VALUES ('🦆', '\"quoted\"\n')", "error", "EngineException(INVALID)",
        "bad\u0000value", 12, 34, 56);
    assertEquals(full, AuditLog.fromJson(AuditLog.toJson(full)));
    AuditRecord sparse = new AuditRecord(DAY_1, null, "anonymous", null, null, null, null, "ingest", null, "ok",
        null, null, 0, 0, 0);
    AuditRecord back = AuditLog.fromJson(AuditLog.toJson(sparse));
    assertEquals(sparse, back);
    assertNull(back.clientAddress());
    assertEquals("", back.statement());
  }

  @Test
  void longTextsAreCutWithoutSplittingACharacter() {
    String huge = "SELECT '" + "x".repeat(100_000) + "'";
    AuditRecord r = record(DAY_1, "alice", huge);
    assertTrue(r.statement().length() < Bounded.STATEMENT_CHARS + 40, String.valueOf(r.statement().length()));
    assertTrue(r.statement().startsWith("SELECT 'xxx"));
    assertTrue(r.statement().endsWith("more characters)"), r.statement().substring(r.statement().length() - 40));

    // a duck (two UTF-16 units) straddling the cut is left out whole
    String straddling = "a".repeat(Bounded.STATEMENT_CHARS - 1) + "🦆" + "b".repeat(10);
    String cut = record(DAY_1, "alice", straddling).statement();
    assertTrue(cut.startsWith("a".repeat(Bounded.STATEMENT_CHARS - 1) + " ... (12 more characters)"), cut);
    assertEquals(cut, new String(cut.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8), "no lone surrogate");

    String shortText = "SELECT 1";
    assertEquals(shortText, record(DAY_1, "alice", shortText).statement());
    AuditRecord failed = new AuditRecord(DAY_1, "q", "alice", "s", null, "main", null, "query", "SELECT 1",
        "error", "X", "e".repeat(10_000), 0, 0, 0);
    assertTrue(failed.error().length() < Bounded.MESSAGE_CHARS + 40);
  }

  @Test
  void theRetentionIsAtLeastADay(@TempDir Path folder) {
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> AuditLog.open(folder, 0, Clock.systemUTC()));
    assertTrue(e.getMessage().contains("--audit-retention-days"), e.getMessage());
  }
}
