package dev.tarn.core.statement;

import dev.tarn.core.TarnException;
import dev.tarn.core.audit.AdminCommands;
import dev.tarn.core.audit.Administration;
import dev.tarn.core.audit.Auditor;
import dev.tarn.executor.RowStream;
import dev.tarn.sql.command.AdminCommand;
import dev.tarn.executor.Execution;
import dev.tarn.executor.ExecutionResult;
import dev.tarn.executor.StatementDescription;
import dev.tarn.executor.UpdateCount;
import dev.tarn.core.TarnException.Kind;
import dev.tarn.core.access.AccessCommands;
import dev.tarn.core.lakehouse.CommandResult;
import dev.tarn.core.lakehouse.CommandRows;
import dev.tarn.sql.command.access.AccessCommand;
import dev.tarn.core.lakehouse.Lakehouse;
import dev.tarn.core.pipeline.Pipelines;
import dev.tarn.core.metrics.TarnMetrics;
import dev.tarn.core.session.Session;
import dev.tarn.sql.ParsedStatement;
import dev.tarn.sql.SqlFrontend;
import dev.tarn.sql.Snippets;
import dev.tarn.sql.StatementKind;
import dev.tarn.sql.command.PipelineCommand;
import dev.tarn.sql.command.MergeRequestCommand;
import dev.tarn.sql.command.RunPipeline;
import dev.tarn.core.review.MergeRequestCommands;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The path of every statement: frontend (parse, classify) → policy → engine. Shared by plain
 * statements, prepared statements and updates, so they all behave the same. Every statement leaves
 * one audit record: a failed or refused one when it fails to prepare, any other when it has run
 * (a query when its result stream ends).
 */
public final class StatementService {
  private static final Schema EMPTY = new Schema(List.of());
  private final SqlFrontend frontend;
  private final TarnMetrics metrics;

  private final Lakehouse lakehouse;
  private final Pipelines pipelines;
  private final CancellationScope cancellation;
  private final Administration admin;
  private final MergeRequestCommands mergeRequests;

  public StatementService(SqlFrontend frontend, Lakehouse lakehouse, Pipelines pipelines, TarnMetrics metrics,
      CancellationScope cancellation, Administration admin, MergeRequestCommands mergeRequests) {
    this.mergeRequests = mergeRequests;
    this.cancellation = cancellation;
    this.admin = admin;
    this.frontend = frontend;
    this.lakehouse = lakehouse;
    this.pipelines = pipelines;
    this.metrics = metrics;
  }

  /** The recorder of statements and actions, for front doors' own actions (ingest, transactions, pipeline runs). */
  public Auditor auditor() {
    return admin.auditor();
  }

  /** Parses, checks and describes a statement without running it; a failure is audited. */
  public PreparedQuery prepare(Session session, String sql) {
    return prepare(session, sql, query -> {});
  }

  /**
   * Parses, checks and describes a statement without running it, then applies the front door's own
   * checks to it; a failure of either is the statement's audit record.
   */
  public PreparedQuery prepare(Session session, String sql, Consumer<PreparedQuery> frontDoorChecks) {
    return prepare(session, sql, frontDoorChecks, true);
  }

  /**
   * Like {@link #prepare(Session, String, Consumer)}, for a statement about to run: a query without
   * parameters is checked but its rows are not described (their first message carries their
   * schema), which spares the engine binding it twice ({@link Lakehouse#check}).
   */
  public PreparedQuery prepareToRun(Session session, String sql, Consumer<PreparedQuery> frontDoorChecks) {
    return prepare(session, sql, frontDoorChecks, false);
  }

  private PreparedQuery prepare(Session session, String sql, Consumer<PreparedQuery> frontDoorChecks,
      boolean describeRows) {
    long start = System.nanoTime();
    ParsedStatement[] parsed = new ParsedStatement[1];
    try {
      PreparedQuery query = prepareUnaudited(session, sql, parsed, describeRows);
      frontDoorChecks.accept(query);
      return query;
    } catch (RuntimeException e) {
      throw admin.auditor().failedBeforeRun(session, parsed[0] == null ? "unparsed" : kindTag(parsed[0]),
          Snippets.withoutSecrets(sql), Snippets.withoutSecrets(sql, String.valueOf(e.getMessage())), start, e);
    }
  }

  private PreparedQuery prepareUnaudited(Session session, String sql, ParsedStatement[] seen, boolean describeRows) {
    ParsedStatement parsed;
    try {
      if (frontend.splitScript(sql).size() > 1) {
        throw new TarnException(Kind.INVALID_ARGUMENT,
            "send one statement per call; this text holds several (split scripts on ';', as tarn sql -f does)");
      }
      parsed = frontend.parse(sql);
      seen[0] = parsed;
      StatementPolicy.check(parsed, text -> session.engine().read(text).syntaxError());
    } catch (RuntimeException e) {
      metrics.statementFailed("unparsed");
      throw e;
    }
    if (parsed.command().orElse(null) instanceof PipelineCommand pipeline) {
      return new PreparedQuery(parsed, new StatementDescription(true, Pipelines.resultSchema(pipeline), EMPTY),
          Optional.empty());
    }
    if (parsed.command().orElse(null) instanceof AdminCommand command) {
      return new PreparedQuery(parsed, new StatementDescription(true, AdminCommands.resultSchema(command), EMPTY),
          Optional.empty());
    }
    if (parsed.command().orElse(null) instanceof MergeRequestCommand command) {
      return new PreparedQuery(parsed, new StatementDescription(true, MergeRequestCommands.resultSchema(command),
          EMPTY), Optional.empty());
    }
    if (parsed.command().orElse(null) instanceof AccessCommand access) {
      Schema schema = AccessCommands.resultSchema(access);
      return new PreparedQuery(parsed, new StatementDescription(!schema.getFields().isEmpty(), schema, EMPTY),
          Optional.empty());
    }
    try {
      if (parsed.kind() == StatementKind.TRANSACTION) {
        return new PreparedQuery(parsed, new StatementDescription(false, EMPTY, EMPTY), Optional.empty());
      }
      Optional<String> useSchema = useTarget(parsed);
      if (useSchema.isPresent()) {
        return new PreparedQuery(parsed, new StatementDescription(false, EMPTY, EMPTY), useSchema);
      }
      StatementDescription description =
          describeRows ? lakehouse.describe(session, parsed) : lakehouse.check(session, parsed);
      return new PreparedQuery(parsed, description, Optional.empty());
    } catch (RuntimeException e) {
      metrics.statementFailed(kindTag(parsed));
      throw e;
    }
  }

  /**
   * Starts a prepared query. {@code onStart} receives the execution before it runs so that a
   * cancel can reach it. The caller closes a returned row stream, which records the statement when
   * it closes; any other result is recorded before it is returned.
   */
  public ExecutionResult run(Session session, PreparedQuery query, List<Object> parameters, BufferAllocator allocator,
      Consumer<Execution> onStart) {
    Auditor.InFlight statement = admin.auditor().start(session, kindTag(query.parsed()),
        Snippets.withoutSecrets(query.parsed().sql()));
    ExecutionResult result;
    try {
      result = runUnaudited(session, query, parameters, allocator, execution -> {
        statement.running().attach(execution);
        onStart.accept(execution);
      }, statement);
    } catch (RuntimeException e) {
      throw statement.failed(e);
    } finally {
      statement.leaveThread();
    }
    if (result instanceof UpdateCount count) {
      statement.succeeded(count.rows(), 0);
      return result;
    }
    if (result instanceof CommandRows rows) {
      // a command's few rows are all there: it is done, whether or not the client fetches them
      statement.succeeded(rows.root().getRowCount(), 0);
      return rows;
    }
    return statement.watch((RowStream) result);
  }

  private ExecutionResult runUnaudited(Session session, PreparedQuery query, List<Object> parameters,
      BufferAllocator allocator, Consumer<Execution> onStart, Auditor.InFlight statement) {
    String kind = kindTag(query.parsed());
    if (query.isTransactionControl()) {
      try {
        lakehouse.transaction(session, query.parsed().leadingKeyword());
        metrics.statementSucceeded(kind, 0);
        return new UpdateCount(0);
      } catch (RuntimeException e) {
        metrics.statementFailed(kind);
        throw e;
      }
    }
    if (query.useSchema().isPresent()) {
      try {
        lakehouse.useSchema(session, query.useSchema().get());
        metrics.statementSucceeded(kind, 0);
        return new UpdateCount(0);
      } catch (RuntimeException e) {
        metrics.statementFailed(kind);
        throw e;
      }
    }
    if (query.parsed().command().orElse(null) instanceof RunPipeline run) {
      long start = System.nanoTime();
      try {
        // the run works on a thread of its own while its rows stream; KILL QUERY interrupts that thread
        RowStream rows = pipelines.startStreaming(run, session, allocator, statement::interruptibleBy);
        metrics.statementStarted(kind, System.nanoTime() - start);
        return rows;
      } catch (RuntimeException e) {
        metrics.statementFailed(kind);
        throw e;
      }
    }
    if (query.parsed().command().orElse(null) instanceof PipelineCommand pipeline) {
      long start = System.nanoTime();
      try {
        CommandRows rows = new CommandRows(interruptibly(statement, () -> pipelines.execute(pipeline, session)),
            allocator);
        metrics.statementStarted(kind, System.nanoTime() - start);
        return rows;
      } catch (RuntimeException e) {
        metrics.statementFailed(kind);
        throw e;
      }
    }
    if (query.parsed().command().orElse(null) instanceof AdminCommand command) {
      long start = System.nanoTime();
      try {
        CommandRows rows = new CommandRows(admin.commands().execute(command, session), allocator);
        metrics.statementStarted(kind, System.nanoTime() - start);
        return rows;
      } catch (RuntimeException e) {
        metrics.statementFailed(kind);
        throw e;
      }
    }
    if (query.parsed().command().orElse(null) instanceof MergeRequestCommand command) {
      long start = System.nanoTime();
      try {
        // approving may run a project's check, which KILL QUERY and a client's cancel stop as they stop a run
        CommandRows rows = new CommandRows(interruptibly(statement, () -> mergeRequests.execute(command, session)),
            allocator);
        metrics.statementSucceeded(kind, System.nanoTime() - start);
        return rows;
      } catch (RuntimeException e) {
        metrics.statementFailed(kind);
        throw e;
      }
    }
    if (query.parsed().command().orElse(null) instanceof AccessCommand access) {
      try {
        CommandResult result = new AccessCommands(lakehouse.access()).execute(access, session.user());
        metrics.statementSucceeded(kind, 0);
        return result.returnsRows() ? new CommandRows(result, allocator) : new UpdateCount(0);
      } catch (RuntimeException e) {
        metrics.statementFailed(kind);
        throw e;
      }
    }
    int expected = query.description().parameterCount();
    if (parameters.size() != expected) {
      metrics.statementFailed(kind);
      throw new TarnException(Kind.INVALID_ARGUMENT,
          "the statement has " + expected + " parameter(s) but " + parameters.size() + " value(s) were bound");
    }
    Execution[] started = new Execution[1];
    long start = System.nanoTime();
    try {
      ExecutionResult result = lakehouse.run(session, query.parsed(), parameters, allocator, execution -> {
        started[0] = execution;
        onStart.accept(execution);
      });
      if (result instanceof UpdateCount) {
        metrics.statementSucceeded(kind, System.nanoTime() - start);
      } else {
        // A query's outcome is counted when its stream ends.
        metrics.statementStarted(kind, System.nanoTime() - start);
      }
      return result;
    } catch (RuntimeException e) {
      boolean cancelled = started[0] != null && started[0].isCancelled();
      metrics.statementFailed(cancelled ? "cancelled" : kind);
      if (cancelled) {
        metrics.cancelled();
      }
      throw e;
    }
  }

  /**
   * Runs {@code work} on this thread so that KILL QUERY interrupts it, as a client's cancel does
   * (a pipeline run treats the interrupt as a cancel).
   */
  private <T> T interruptibly(Auditor.InFlight statement, java.util.function.Supplier<T> work) {
    statement.interruptibleBy(Thread.currentThread());
    try {
      return cancellation.interruptOnCancel(work);
    } finally {
      statement.interruptibleBy(null);
      if (statement.running().killedBecause().isPresent()) {
        Thread.interrupted(); // a kill that raced the end of the work must not reach the thread's next call
      }
    }
  }

  public static String kindTag(ParsedStatement parsed) {
    return parsed.kind().name().toLowerCase(Locale.ROOT);
  }

  /** {@code USE s}: the schema to switch to, which Tarn tracks itself (the frontend reads the name). */
  static Optional<String> useTarget(ParsedStatement parsed) {
    Optional<List<String>> target = parsed.useTarget();
    if (target.isEmpty()) {
      return Optional.empty();
    }
    List<String> parts = target.get();
    if (parts.isEmpty() || parts.size() > 2) {
      throw new TarnException(Kind.INVALID_ARGUMENT, "USE takes one schema name, as in USE sales");
    }
    if (parts.size() == 2) {
      throw new TarnException(Kind.INVALID_ARGUMENT, "USE " + parts.get(0) + "." + parts.get(1)
          + ": to switch branch and schema, run USE BRANCH " + parts.get(0) + " and then USE " + parts.get(1));
    }
    return Optional.of(parts.get(0));
  }
}
