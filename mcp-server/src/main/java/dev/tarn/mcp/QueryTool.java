package dev.tarn.mcp;

import dev.tarn.catalog.ResolvedReference;
import dev.tarn.core.TarnException;
import dev.tarn.core.TarnException.Kind;
import dev.tarn.core.statement.PreparedQuery;
import dev.tarn.executor.Execution;
import dev.tarn.executor.RowStream;
import dev.tarn.sql.StatementKind;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.TimeStampMilliTZVector;
import org.apache.arrow.vector.TimeStampNanoTZVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * The {@code query} tool: one read-only statement on a reference, through the same statement path,
 * allow-list, privileges and audit as a Flight SQL client's SQL. Anything but a query is refused before
 * it runs (a query tool that could write would be a way around the write privileges). The answer is a
 * compact text table, cut at the row limit, the character cap or the time limit, with a note saying so.
 */
final class QueryTool {
  private final OneStatement statements;
  private final CatalogTools catalog;
  private final ScheduledExecutorService timer;

  QueryTool(OneStatement statements, CatalogTools catalog, ScheduledExecutorService timer) {
    this.statements = statements;
    this.catalog = catalog;
    this.timer = timer;
  }

  /** The answer, and how many rows it shows. */
  record Answer(String text, long rows) {}

  Answer query(String user, String sql, String referenceName, QueryLimits limits) {
    if (sql == null || sql.isBlank()) {
      throw new TarnException(Kind.INVALID_ARGUMENT, "query needs sql: one SELECT statement");
    }
    ResolvedReference at = catalog.readable(user, referenceName);
    AtomicReference<Execution> running = new AtomicReference<>();
    AtomicBoolean timedOut = new AtomicBoolean();
    ScheduledFuture<?> deadline = timer.schedule(() -> {
      timedOut.set(true);
      Execution execution = running.get();
      if (execution != null) {
        execution.cancel();
      }
    }, limits.timeLimit().toMillis(), TimeUnit.MILLISECONDS);
    try {
      return statements.run(user, at.name(), sql, QueryTool::refuseUnlessQuery, running::set, result -> {
        if (!(result instanceof RowStream rows)) {
          throw new TarnException(Kind.INVALID_ARGUMENT, "the query tool answers with rows; this statement has none");
        }
        try (rows) {
          return read(rows, limits, timedOut);
        }
      });
    } catch (RuntimeException e) {
      if (timedOut.get()) {
        throw new TarnException(Kind.RESOURCE_EXHAUSTED, "the query ran longer than the query tool's time limit"
            + " of " + limits.timeLimit().toSeconds() + " s and was stopped; narrow it, or add a LIMIT");
      }
      throw e;
    } finally {
      deadline.cancel(false);
    }
  }

  /** A cell's value; a time zone's timestamps, which Arrow hands out as a bare count, as the instant they are. */
  private static Object value(FieldVector vector, int row) {
    if (vector.isNull(row)) {
      return null;
    }
    if (vector instanceof TimeStampMicroTZVector micros) {
      return Instant.EPOCH.plus(micros.get(row), ChronoUnit.MICROS);
    }
    if (vector instanceof TimeStampMilliTZVector millis) {
      return Instant.ofEpochMilli(millis.get(row));
    }
    if (vector instanceof TimeStampNanoTZVector nanos) {
      return Instant.EPOCH.plusNanos(nanos.get(row));
    }
    return vector.getObject(row);
  }

  private static void refuseUnlessQuery(PreparedQuery prepared) {
    if (prepared.parsed().kind() != StatementKind.QUERY) {
      throw new TarnException(Kind.PERMISSION_DENIED, "the query tool only reads: it runs SELECT (and WITH ... SELECT)"
          + " queries, and this statement is " + prepared.parsed().kind().name().replace('_', ' ').toLowerCase(
              java.util.Locale.ROOT) + "; the execute tool writes to a branch");
    }
  }

  static Answer read(RowStream rows, QueryLimits limits, AtomicBoolean timedOut) {
    return read(rows, limits, timedOut, (column, value) -> value);
  }

  /** The rows as a text table, each value shown as {@code shown} makes it from its column's name and value. */
  static Answer read(RowStream rows, QueryLimits limits, AtomicBoolean timedOut,
      BiFunction<String, Object, Object> shown) {
    List<String> names = rows.schema().getFields().stream().map(Field::getName).toList();
    TextTable table = new TextTable(names);
    String cut = null;
    reading:
    while (rows.next()) {
      VectorSchemaRoot batch = rows.root();
      for (int row = 0; row < batch.getRowCount(); row++) {
        if (table.rowCount() == limits.rows()) {
          cut = "cut at the limit of " + limits.rows() + " rows; more rows exist (raise limit up to "
              + QueryLimits.MAX_ROWS + ", or narrow the query)";
          break reading;
        }
        if (table.approximateChars() > limits.maxChars()) {
          cut = "cut at " + table.rowCount() + " rows: the answer reached the cap of " + limits.maxChars()
              + " characters; select fewer or narrower columns";
          break reading;
        }
        List<Object> values = new ArrayList<>(names.size());
        for (FieldVector vector : batch.getFieldVectors()) {
          values.add(shown.apply(vector.getName(), value(vector, row)));
        }
        table.add(values);
      }
      if (timedOut.get()) {
        cut = "cut at " + table.rowCount() + " rows: the time limit of " + limits.timeLimit().toSeconds()
            + " s was reached";
        break;
      }
    }
    if (cut != null) {
      rows.cancel();
    }
    String text = table.render() + "(" + table.rowCount() + (table.rowCount() == 1 ? " row" : " rows") + ")\n";
    return new Answer(cut == null ? text : text + "NOTE: " + cut + "\n", table.rowCount());
  }
}
