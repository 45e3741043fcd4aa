package dev.tarn.core.statement;

import dev.tarn.core.TarnException;
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
import dev.tarn.sql.StatementKind;
import dev.tarn.sql.command.PipelineCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The path of every statement: frontend (parse, classify) → policy → engine. Shared by plain
 * statements, prepared statements and updates, so they all behave the same.
 */
public final class StatementService {
  private static final Schema EMPTY = new Schema(List.of());
  private final SqlFrontend frontend;
  private final TarnMetrics metrics;

  private final Lakehouse lakehouse;
  private final Pipelines pipelines;
  private final CancellationScope cancellation;

  public StatementService(SqlFrontend frontend, Lakehouse lakehouse, Pipelines pipelines, TarnMetrics metrics,
      CancellationScope cancellation) {
    this.cancellation = cancellation;
    this.frontend = frontend;
    this.lakehouse = lakehouse;
    this.pipelines = pipelines;
    this.metrics = metrics;
  }

  /** Parses, checks and describes a statement without running it. */
  public PreparedQuery prepare(Session session, String sql) {
    ParsedStatement parsed;
    try {
      if (frontend.splitScript(sql).size() > 1) {
        throw new TarnException(Kind.INVALID_ARGUMENT,
            "send one statement per call; this text holds several (split scripts on ';', as tarn sql -f does)");
      }
      parsed = frontend.parse(sql);
      StatementPolicy.check(parsed, text -> session.engine().read(text).syntaxError());
    } catch (RuntimeException e) {
      metrics.statementFailed("unparsed");
      throw e;
    }
    if (parsed.command().orElse(null) instanceof PipelineCommand pipeline) {
      return new PreparedQuery(parsed, new StatementDescription(true, Pipelines.resultSchema(pipeline), EMPTY),
          Optional.empty());
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
      return new PreparedQuery(parsed, lakehouse.describe(session, parsed), Optional.empty());
    } catch (RuntimeException e) {
      metrics.statementFailed(kindTag(parsed));
      throw e;
    }
  }

  /**
   * Starts a prepared query. {@code onStart} receives the execution before it runs so that a
   * cancel can reach it. The caller closes a returned row stream.
   */
  public ExecutionResult run(Session session, PreparedQuery query, List<Object> parameters, BufferAllocator allocator,
      Consumer<Execution> onStart) {
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
    if (query.parsed().command().orElse(null) instanceof PipelineCommand pipeline) {
      long start = System.nanoTime();
      try {
        CommandRows rows = new CommandRows(
            cancellation.interruptOnCancel(() -> pipelines.execute(pipeline, session)), allocator);
        metrics.statementStarted(kind, System.nanoTime() - start);
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

  public static String kindTag(ParsedStatement parsed) {
    return parsed.kind().name().toLowerCase(Locale.ROOT);
  }

  /** {@code USE s} or {@code USE branch.s}: the schema to switch to, which Tarn tracks itself. */
  static Optional<String> useTarget(ParsedStatement parsed) {
    if (parsed.kind() != StatementKind.SESSION || !parsed.leadingKeyword().equals("USE")) {
      return Optional.empty();
    }
    String rest = parsed.sql().strip().replaceFirst("(?is)^.*?\\bUSE\\b", "").strip();
    while (rest.endsWith(";")) {
      rest = rest.substring(0, rest.length() - 1).strip();
    }
    List<String> parts = splitQualifiedName(rest);
    if (parts.isEmpty() || parts.size() > 2) {
      throw new TarnException(Kind.INVALID_ARGUMENT, "USE takes a schema name, as in USE sales");
    }
    if (parts.size() == 2) {
      throw new TarnException(Kind.INVALID_ARGUMENT, "USE " + parts.get(0) + "." + parts.get(1)
          + ": to switch branch and schema, run USE BRANCH " + parts.get(0) + " and then USE " + parts.get(1));
    }
    return Optional.of(parts.get(parts.size() - 1));
  }

  private static List<String> splitQualifiedName(String text) {
    List<String> parts = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"') {
        if (quoted && i + 1 < text.length() && text.charAt(i + 1) == '"') {
          current.append('"');
          i++;
        } else {
          quoted = !quoted;
        }
      } else if (c == '.' && !quoted) {
        parts.add(current.toString());
        current.setLength(0);
      } else if (!Character.isWhitespace(c) || quoted) {
        current.append(c);
      } else {
        throw new TarnException(Kind.INVALID_ARGUMENT, "USE takes one schema name, as in USE sales");
      }
    }
    parts.add(current.toString());
    parts.removeIf(String::isEmpty);
    return parts;
  }
}
