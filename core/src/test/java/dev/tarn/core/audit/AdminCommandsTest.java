package dev.tarn.core.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.core.TarnException;
import dev.tarn.core.lakehouse.CommandResult;
import dev.tarn.core.session.Session;
import dev.tarn.core.session.SessionLimits;
import dev.tarn.core.session.SessionStore;
import dev.tarn.sql.command.admin.KillQuery;
import dev.tarn.sql.command.admin.KillSession;
import dev.tarn.sql.command.admin.ShowAudit;
import dev.tarn.sql.command.admin.ShowQueries;
import dev.tarn.sql.command.admin.ShowSessions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may see and end what: an admin everyone's sessions, statements and records, anyone else
 * only their own. No server: sessions that never open an engine connection.
 */
class AdminCommandsTest {
  @TempDir
  Path folder;

  private SessionStore sessions;
  private AuditLog log;
  private Auditor auditor;
  private AdminCommands commands;
  private Session root;
  private Session alice;
  private Session bob;

  @BeforeEach
  void setUp() {
    sessions = new SessionStore(null, new SessionLimits(10, 5, Duration.ofMinutes(5)), s -> {});
    log = AuditLog.open(folder, 30, Clock.systemUTC());
    RunningStatements running = new RunningStatements();
    auditor = new Auditor(log, running);
    commands = new AdminCommands(log, running, sessions, s -> s.user().equals("root"));
    root = sessions.keep(sessions.oneShot("root", null));
    alice = sessions.keep(sessions.oneShot("alice", null));
    bob = sessions.keep(sessions.oneShot("bob", null));
  }

  @AfterEach
  void tearDown() {
    sessions.close();
    log.close();
  }

  private static List<Object> column(CommandResult result, String name) {
    int index = result.schema().getFields().indexOf(result.schema().findField(name));
    return result.rows().stream().map(r -> r[index]).toList();
  }

  @Test
  void othersSeeOnlyTheirOwnSessionsStatementsAndRecords() {
    auditor.start(alice, "query", "SELECT 'alice'").succeeded(1, 8);
    auditor.start(bob, "query", "SELECT 'bob'").succeeded(1, 8);
    auditor.start(bob, "query", "SELECT 'still running'");

    assertEquals(List.of("alice"), column(commands.execute(new ShowSessions(), alice), "user"));
    assertEquals(List.of("root", "alice", "bob"), column(commands.execute(new ShowSessions(), root), "user"));
    assertEquals(List.of("SELECT 'alice'"), column(commands.execute(new ShowAudit(OptionalInt.empty()), alice),
        "statement"));
    assertEquals(List.of("SELECT 'bob'", "SELECT 'alice'"),
        column(commands.execute(new ShowAudit(OptionalInt.empty()), root), "statement"));
    assertEquals(List.of(), column(commands.execute(new ShowQueries(), alice), "statement"));
    assertEquals(List.of("SELECT 'still running'"), column(commands.execute(new ShowQueries(), root), "statement"));
    assertEquals(List.of(1L), column(commands.execute(new ShowSessions(), bob), "running_statements"));
    assertEquals(List.of(1L), column(commands.execute(new ShowSessions(), bob), "sessions_of_user"));
    assertEquals(List.of(5L), column(commands.execute(new ShowSessions(), bob), "max_sessions_per_user"));
  }

  @Test
  void aNonAdminCannotEndAnotherUsersSessionOrStatementButMayEndTheirOwn() {
    Auditor.InFlight bobs = auditor.start(bob, "query", "SELECT 'bob'");
    TarnException denied = assertThrows(TarnException.class,
        () -> commands.execute(new KillSession(bob.publicId()), alice));
    assertEquals(TarnException.Kind.PERMISSION_DENIED, denied.kind());
    assertTrue(denied.getMessage().contains("belongs to another user"), denied.getMessage());
    TarnException deniedQuery = assertThrows(TarnException.class,
        () -> commands.execute(new KillQuery(bobs.running().id()), alice));
    assertEquals(TarnException.Kind.PERMISSION_DENIED, deniedQuery.kind());
    assertTrue(bobs.running().killedBecause().isEmpty());
    assertTrue(sessions.find(bob.id()).isPresent());

    commands.execute(new KillSession(alice.publicId()), alice);
    assertTrue(sessions.find(alice.id()).isEmpty());
    assertTrue(alice.publicId().matches("s-[0-9a-f]{16}") && !alice.publicId().contains(alice.id()));
    TarnException ended = assertThrows(TarnException.class,
        () -> sessions.forReturnedCookie(alice.id(), "alice", null));
    assertTrue(ended.getMessage().contains("session " + alice.publicId() + " was ended by alice with KILL SESSION"),
        ended.getMessage());
  }

  @Test
  void anAdminEndsAnyonesStatementsAndTheirClientsAreToldWho() {
    Auditor.InFlight bobs = auditor.start(bob, "query", "SELECT 'bob'");
    commands.execute(new KillQuery(bobs.running().id()), root);
    String why = bobs.running().killedBecause().orElseThrow();
    assertTrue(why.startsWith("statement " + bobs.running().id() + " was killed by root with KILL QUERY"), why);
    RuntimeException shown = bobs.failed(new RuntimeException("INTERRUPT Error"));
    assertEquals(why, shown.getMessage());
    AuditRecord record = log.newest(1, r -> true).get(0);
    assertEquals(AuditRecord.CANCELLED, record.outcome());
    assertEquals(why, record.error());

    Auditor.InFlight another = auditor.start(bob, "query", "SELECT 'again'");
    CommandResult killed = commands.execute(new KillSession(bob.publicId()), root);
    assertEquals(List.of(1L), column(killed, "statements_cancelled"));
    assertTrue(another.running().killedBecause().orElseThrow().contains("was ended by root with KILL SESSION"));
    assertTrue(sessions.find(bob.id()).isEmpty());
    TarnException unknown = assertThrows(TarnException.class,
        () -> commands.execute(new KillQuery("q-nope"), root));
    assertEquals(TarnException.Kind.NOT_FOUND, unknown.kind());
  }

  @Test
  void aKillThatComesBeforeTheWorkStartsStillStopsIt() throws Exception {
    // the statement is listed (and so killable) before its work's thread is known
    Auditor.InFlight bobs = auditor.start(bob, "run", "RUN PIPELINE 'p'");
    commands.execute(new KillQuery(bobs.running().id()), root);
    Thread worker = new Thread(() -> {
      try {
        Thread.sleep(60_000);
      } catch (InterruptedException stopped) {
        // what the kill should cause
      }
    });
    worker.start();
    bobs.interruptibleBy(worker);
    worker.join(10_000);
    assertTrue(!worker.isAlive(), "the kill reached the thread that started after it");
  }
}
