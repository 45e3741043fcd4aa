package dev.tarn.core.audit;

import dev.tarn.core.TarnException;
import dev.tarn.core.TarnException.Kind;
import dev.tarn.core.lakehouse.CommandResult;
import dev.tarn.core.session.Session;
import dev.tarn.core.session.SessionLimits;
import dev.tarn.core.session.SessionStore;
import dev.tarn.sql.command.AdminCommand;
import dev.tarn.sql.command.admin.KillQuery;
import dev.tarn.sql.command.admin.KillSession;
import dev.tarn.sql.command.admin.ShowAudit;
import dev.tarn.sql.command.admin.ShowHistory;
import dev.tarn.sql.command.admin.ShowQueries;
import dev.tarn.sql.command.admin.ShowSessions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Answers the administration statements. An admin sees and ends everyone's sessions, statements
 * and audit records; anyone else only their own.
 */
public final class AdminCommands {
  /** Rows SHOW AUDIT and SHOW HISTORY return without a LIMIT. */
  public static final int DEFAULT_LIMIT = 1000;

  private final AuditLog log;
  private final RunningStatements running;
  private final SessionStore sessions;
  private final Predicate<Session> isAdmin;

  /**
   * @param isAdmin whether a caller may see and end everyone's sessions, statements and records
   *     (access control's admins; everyone on an open server)
   */
  public AdminCommands(AuditLog log, RunningStatements running, SessionStore sessions, Predicate<Session> isAdmin) {
    this.log = log;
    this.running = running;
    this.sessions = sessions;
    this.isAdmin = isAdmin;
  }

  public static Schema resultSchema(AdminCommand command) {
    if (command instanceof ShowAudit) {
      return AdminSchemas.AUDIT;
    } else if (command instanceof ShowHistory) {
      return AdminSchemas.HISTORY;
    } else if (command instanceof ShowSessions) {
      return AdminSchemas.SESSIONS;
    } else if (command instanceof ShowQueries) {
      return AdminSchemas.QUERIES;
    } else if (command instanceof KillQuery) {
      return AdminSchemas.KILLED_QUERY;
    } else if (command instanceof KillSession) {
      return AdminSchemas.KILLED_SESSION;
    }
    throw new IllegalArgumentException("unknown administration statement " + command.statementName());
  }

  public CommandResult execute(AdminCommand command, Session caller) {
    if (command instanceof ShowAudit a) {
      return showAudit(a, caller);
    } else if (command instanceof ShowHistory h) {
      return showHistory(h, caller);
    } else if (command instanceof ShowSessions) {
      return showSessions(caller);
    } else if (command instanceof ShowQueries) {
      return showQueries(caller);
    } else if (command instanceof KillQuery k) {
      return killQuery(k, caller);
    } else if (command instanceof KillSession k) {
      return killSession(k, caller);
    }
    throw new IllegalArgumentException("unknown administration statement " + command.statementName());
  }

  private boolean mayAct(Session caller, String owner) {
    return isAdmin.test(caller) || caller.user().equals(owner);
  }

  private CommandResult showAudit(ShowAudit a, Session caller) {
    List<Object[]> rows = new ArrayList<>();
    for (AuditRecord r : log.newest(a.limit().orElse(DEFAULT_LIMIT), r -> mayAct(caller, r.user()))) {
      rows.add(new Object[] {r.time(), r.queryId(), r.user(), r.sessionId(), r.clientAddress(), r.reference(),
          r.commit(), r.kind(), r.statement(), r.outcome(), r.errorClass(), r.error(), r.rows(), r.bytes(),
          r.durationMs()});
    }
    return new CommandResult(AdminSchemas.AUDIT, rows);
  }

  /** Query history is a view of the audit records: the statement, where it ran, what it returned, how long it took. */
  private CommandResult showHistory(ShowHistory h, Session caller) {
    List<Object[]> rows = new ArrayList<>();
    for (AuditRecord r : log.newest(h.limit().orElse(DEFAULT_LIMIT), r -> mayAct(caller, r.user()))) {
      rows.add(new Object[] {r.time(), r.queryId(), r.user(), r.statement(), r.reference(), r.kind(), r.outcome(),
          r.error(), r.rows(), r.bytes(), r.durationMs()});
    }
    return new CommandResult(AdminSchemas.HISTORY, rows);
  }

  private CommandResult showSessions(Session caller) {
    List<Session> kept = sessions.list();
    Map<String, Long> perUser = kept.stream().collect(Collectors.groupingBy(Session::user, Collectors.counting()));
    SessionLimits limits = sessions.limits();
    List<Object[]> rows = new ArrayList<>();
    for (Session s : kept.stream().sorted(Comparator.comparing(Session::createdAt)).toList()) {
      if (!mayAct(caller, s.user())) {
        continue;
      }
      rows.add(new Object[] {s.publicId(), s.user(), s.clientAddress().orElse(null), s.createdAt(), s.lastUsedAt(),
          s.reference().describe(), s.transaction().isPresent(), running.countOfSession(s.publicId()),
          perUser.get(s.user()), (long) limits.maxSessionsPerUser(), (long) limits.maxSessions()});
    }
    return new CommandResult(AdminSchemas.SESSIONS, rows);
  }

  private CommandResult showQueries(Session caller) {
    List<Object[]> rows = new ArrayList<>();
    for (RunningStatement r : running.list()) {
      if (mayAct(caller, r.user())) {
        rows.add(new Object[] {r.id(), r.sessionId(), r.user(), r.clientAddress(), r.kind(), r.startedAt(),
            r.elapsedMillis(), r.statement()});
      }
    }
    return new CommandResult(AdminSchemas.QUERIES, rows);
  }

  private CommandResult killQuery(KillQuery k, Session caller) {
    RunningStatement target = running.find(k.queryId()).orElseThrow(() -> new TarnException(Kind.NOT_FOUND,
        "no running statement has the id " + quoted(k.queryId()) + " (SHOW QUERIES lists them; it may have"
            + " finished)"));
    if (!mayAct(caller, target.user())) {
      throw new TarnException(Kind.PERMISSION_DENIED, "statement " + quoted(k.queryId()) + " belongs to another"
          + " user; only an admin may kill it");
    }
    target.kill("statement " + target.id() + " was killed by " + caller.user() + " with KILL QUERY at " + now());
    return new CommandResult(AdminSchemas.KILLED_QUERY, List.<Object[]>of(new Object[] {
        target.id(), target.sessionId(), target.user()}));
  }

  private CommandResult killSession(KillSession k, Session caller) {
    String id = k.sessionId();
    Optional<Session> kept = sessions.list().stream().filter(s -> s.publicId().equals(id)).findFirst();
    List<RunningStatement> statements = running.ofSession(id);
    String owner = kept.map(Session::user)
        .or(() -> statements.stream().map(RunningStatement::user).findFirst())
        .orElseThrow(() -> new TarnException(Kind.NOT_FOUND, "no session has the id " + quoted(id)
            + " (SHOW SESSIONS lists them; it may have ended)"));
    if (!mayAct(caller, owner)) {
      throw new TarnException(Kind.PERMISSION_DENIED, "session " + quoted(id) + " belongs to another user;"
          + " only an admin may end it");
    }
    boolean inTransaction = kept.flatMap(Session::transaction).isPresent();
    String message = "session " + id + " was ended by " + caller.user() + " with KILL SESSION at " + now()
        + ": its running statements were cancelled" + (inTransaction ? " and its open transaction rolled back" : "")
        + "; connect again to go on";
    long cancelled = statements.stream().filter(s -> s.kill(message)).count();
    String storeId = kept.map(Session::id).orElseGet(() -> statements.get(0).sessionCookieId());
    sessions.end(storeId, message);
    return new CommandResult(AdminSchemas.KILLED_SESSION, List.<Object[]>of(new Object[] {
        id, owner, cancelled, inTransaction}));
  }

  /**
   * Closes a session at its own client's request (Flight SQL's CloseSession, sent when a JDBC
   * connection closes): its running statements are cancelled, its open transaction rolled back,
   * its temporary tables dropped. Unlike KILL SESSION the client may go on: its next call with the
   * same cookie starts a new session.
   */
  public void closeAtClientsRequest(Session session) {
    String message = "session " + session.publicId() + " was closed by its client (CloseSession) at " + now();
    running.ofSession(session.publicId()).forEach(s -> s.kill(message));
    sessions.close(session.id());
  }

  private static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS);
  }

  private static String quoted(String id) {
    String shown = id.length() > 64 ? id.substring(0, 64) + "..." : id;
    return "'" + shown.replaceAll("[^\\x20-\\x7e]", "?") + "'";
  }
}
