package dev.tarn.mcp;

import dev.tarn.core.session.CurrentReference;
import dev.tarn.core.session.Session;
import dev.tarn.core.session.SessionStore;
import dev.tarn.core.statement.PreparedQuery;
import dev.tarn.core.statement.StatementService;
import dev.tarn.executor.Execution;
import dev.tarn.executor.ExecutionResult;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.arrow.memory.BufferAllocator;

/**
 * How every tool runs SQL: one statement in a session of its own on a reference, as the caller's
 * user, through core's statement path (its allow-list, privileges and audit record), so no session
 * state carries over between tool calls. The answer is read while the session is still open.
 */
final class OneStatement {
  private final StatementService statements;
  private final SessionStore sessions;
  private final BufferAllocator allocator;

  OneStatement(StatementService statements, SessionStore sessions, BufferAllocator allocator) {
    this.statements = statements;
    this.sessions = sessions;
    this.allocator = allocator;
  }

  /**
   * Runs {@code sql} on {@code reference} as {@code user}: {@code checks} may refuse the parsed
   * statement before it runs, {@code started} receives its execution (to cancel it), and {@code
   * answer} turns the result into the tool's answer (closing a row stream it is given).
   */
  <T> T run(String user, String reference, String sql, Consumer<PreparedQuery> checks, Consumer<Execution> started,
      Function<ExecutionResult, T> answer) {
    return run(user, reference, sql, checks, started, (result, commit) -> answer.apply(result));
  }

  /** As above, with the commit the statement produced, if any, handed to {@code answer} with its result. */
  <T> T run(String user, String reference, String sql, Consumer<PreparedQuery> checks, Consumer<Execution> started,
      BiFunction<ExecutionResult, Optional<String>, T> answer) {
    try (Session session = sessions.oneShot(user, reference)) {
      session.use(CurrentReference.named(reference));
      PreparedQuery prepared = statements.prepare(session, sql, checks);
      ExecutionResult result = statements.run(session, prepared, List.of(), allocator, started);
      return answer.apply(result, session.lastProducedCommit());
    }
  }
}
