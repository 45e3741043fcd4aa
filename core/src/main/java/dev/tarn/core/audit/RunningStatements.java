package dev.tarn.core.audit;

import dev.tarn.core.session.Session;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The statements running now, by query id. */
public final class RunningStatements {
  private final SecureRandom random = new SecureRandom();
  private final Map<String, RunningStatement> running = new ConcurrentHashMap<>();

  /** Registers a statement as it starts; the caller ends it with {@link RunningStatement#finished()}. */
  RunningStatement start(Session session, String kind, String statement) {
    RunningStatement started = new RunningStatement(newId(), session, kind, statement, this);
    running.put(started.id(), started);
    return started;
  }

  /** A fresh query id: {@code q-} and 16 hex digits. */
  String newId() {
    byte[] bytes = new byte[8];
    random.nextBytes(bytes);
    return "q-" + HexFormat.of().formatHex(bytes);
  }

  public Optional<RunningStatement> find(String queryId) {
    return Optional.ofNullable(running.get(queryId));
  }

  /** Oldest first. */
  public List<RunningStatement> list() {
    return running.values().stream().sorted(Comparator.comparing(RunningStatement::startedAt)).toList();
  }

  public List<RunningStatement> ofSession(String sessionId) {
    return running.values().stream().filter(r -> r.sessionId().equals(sessionId)).toList();
  }

  public long countOfSession(String sessionId) {
    return running.values().stream().filter(r -> r.sessionId().equals(sessionId)).count();
  }

  void remove(RunningStatement statement) {
    running.remove(statement.id(), statement);
  }
}
