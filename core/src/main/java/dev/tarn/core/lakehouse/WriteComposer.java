package dev.tarn.core.lakehouse;

import dev.tarn.core.access.AccessControl;
import dev.tarn.catalog.ResolvedReference;
import dev.tarn.executor.EngineException;
import dev.tarn.executor.EngineException.Reason;
import dev.tarn.executor.EngineSession;
import dev.tarn.executor.lakehouse.ScratchTable;
import dev.tarn.sql.Snippets;
import dev.tarn.sql.command.access.Privilege;
import dev.tarn.core.lakehouse.ReadBinder.Bound;
import dev.tarn.sql.ParsedStatement;
import dev.tarn.sql.SqlFrontend;
import dev.tarn.sql.StatementKind;
import dev.tarn.sql.write.DeleteFrom;
import dev.tarn.sql.write.InsertInto;
import dev.tarn.sql.write.MergeInto;
import dev.tarn.sql.write.RowWrite;
import dev.tarn.sql.write.UpdateTable;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Writes the DuckDB text of a client's write. DuckDB never sees the client's statement as written:
 * Tarn writes the statement's frame (the verb, the target, the column list) and inserts only the
 * client's fragments that are queries, or become queries behind a prefix Tarn wrote ({@code SELECT}
 * before an UPDATE's assignments, {@code SELECT 1 WHERE} before a DELETE's condition). Each
 * fragment is bound to lakehouse views and judged by DuckDB's own reading ({@link QueryCheck}) in
 * exactly the form it takes in the final text, so the whole is one statement of the kind Tarn chose.
 */
final class WriteComposer {
  private final SqlFrontend frontend;
  private final ReadBinder binder;
  private final AccessControl access;

  WriteComposer(SqlFrontend frontend, ReadBinder binder, AccessControl access) {
    this.frontend = frontend;
    this.binder = binder;
    this.access = access;
  }

  /** The catalog unqualified names resolve in when a statement reads {@code head}. */
  String defaultCatalog(ResolvedReference head) {
    return binder.defaultCatalog(head);
  }

  /** A text for DuckDB, and the catalog its unqualified names resolve in. */
  record Composed(String sql, String defaultCatalog) {}

  /**
   * The row write against {@code target} (a scratch or temporary table's SQL name), with {@code
   * RETURNING} of {@code returning} when given.
   */
  Composed rows(ParsedStatement statement, RowWrite write, String target, TableWrites.Context context,
      ResolvedReference head, Optional<String> returning) {
    return rows(statement, write, target, "", context, head, returning);
  }

  /**
   * As above; {@code dataColumns} (quoted, comma separated) are the columns a MERGE's INSERT without
   * a column list fills, when the target has columns of Tarn's own besides them (a scratch table).
   */
  Composed rows(ParsedStatement statement, RowWrite write, String target, String dataColumns,
      TableWrites.Context context, ResolvedReference head, Optional<String> returning) {
    if (write.hasReturning()) {
      throw new EngineException(Reason.INVALID, "RETURNING is not supported on writes");
    }
    String sql = statement.sql();
    if (sql.toLowerCase(java.util.Locale.ROOT).contains(ScratchTable.FILE_COLUMN)) {
      // the scratch table tracks each row's data file in that column: a write must not name it
      throw new EngineException(Reason.INVALID, ScratchTable.FILE_COLUMN + " is a name Tarn reserves for itself");
    }
    String alias = write.alias().map(a -> " AS " + ReadBinder.quote(a)).orElse("");
    String suffix = returning.map(r -> "\nRETURNING " + r).orElse("");
    if (write instanceof InsertInto insert) {
      if (insert.upsert() && insert.onConflict().isEmpty()) {
        throw new EngineException(Reason.INVALID, "INSERT OR REPLACE, INSERT OR IGNORE and ON CONFLICT without a"
            + " column list need a key, which lakehouse tables do not have: write INSERT ... ON CONFLICT (columns)"
            + " DO UPDATE SET ... (or DO NOTHING), or MERGE INTO");
      }
      List<String> named = insert.columns().stream().map(ReadBinder::quote).toList();
      String columnList = !named.isEmpty() ? String.join(", ", named)
          : insert.onConflict().isPresent() && !insert.byName() ? dataColumns : "";
      String head0 = "INSERT INTO " + target + (insert.byName() ? " BY NAME" : "")
          + (columnList.isEmpty() ? "" : " (" + columnList + ")");
      if (insert.source().isEmpty()) {
        return new Composed(head0 + " DEFAULT VALUES" + suffix, binder.defaultCatalog(head));
      }
      Bound source = query(insert.source().get(), context, head);
      String conflict = insert.onConflict().map(c -> onConflict(sql, c, context, head)).orElse("");
      return new Composed(head0 + "\n" + source.sql() + conflict + suffix, source.defaultCatalog());
    }
    if (write instanceof UpdateTable update) {
      Bound assignments = fragment("SELECT ", update.assignments().text(sql), context, head);
      return new Composed("UPDATE " + target + alias + " SET " + assignments.sql() + suffix,
          assignments.defaultCatalog());
    }
    if (write instanceof DeleteFrom delete) {
      if (delete.filter().isEmpty()) {
        return new Composed("DELETE FROM " + target + alias + suffix, binder.defaultCatalog(head));
      }
      DeleteFrom.Filter filter = delete.filter().get();
      String prefix = filter.keyword().equals("USING") ? "SELECT 1 FROM " : "SELECT 1 WHERE ";
      Bound rest = fragment(prefix, filter.rest().text(sql), context, head);
      return new Composed("DELETE FROM " + target + alias + " " + filter.keyword() + " " + rest.sql() + suffix,
          rest.defaultCatalog());
    }
    if (write instanceof MergeInto merge) {
      return merge(sql, merge, target + alias, dataColumns, suffix, context, head);
    }
    throw new EngineException(Reason.INVALID, write.getClass().getSimpleName()
        .replaceAll("([a-z])([A-Z])", "$1 $2").toUpperCase(java.util.Locale.ROOT) + " is not supported yet");
  }

  /** {@code ON CONFLICT (columns) DO NOTHING | DO UPDATE SET ...}, its assignments judged as {@code SELECT <...>}. */
  private String onConflict(String sql, InsertInto.OnConflict conflict, TableWrites.Context context,
      ResolvedReference head) {
    String columns = conflict.columns().stream().map(ReadBinder::quote).collect(Collectors.joining(", "));
    return "\nON CONFLICT (" + columns + ") DO " + conflict.update()
        .map(update -> "UPDATE SET " + fragment("SELECT ", update.text(sql), context, head).sql())
        .orElse("NOTHING");
  }

  /**
   * MERGE INTO: Tarn writes every keyword; the client's source (read as {@code SELECT * FROM
   * <source>}), conditions (as {@code SELECT 1 WHERE <condition>}), assignments and inserted values
   * (as {@code SELECT <list>}) are each bound and judged as queries.
   */
  private Composed merge(String sql, MergeInto merge, String target, String dataColumns, String suffix,
      TableWrites.Context context, ResolvedReference head) {
    Bound source = fragment("SELECT * FROM ", merge.source().text(sql), context, head);
    StringBuilder text = new StringBuilder("MERGE INTO ").append(target).append(" USING ").append(source.sql())
        .append("\nON ").append(fragment("SELECT 1 WHERE ", merge.condition().text(sql), context, head).sql());
    for (MergeInto.When when : merge.clauses()) {
      text.append("\nWHEN ").append(when.matched() ? "MATCHED" : "NOT MATCHED");
      when.by().ifPresent(by -> text.append(" BY ").append(by));
      if (when.condition().isPresent()) {
        text.append(" AND ").append(fragment("SELECT 1 WHERE ", when.condition().get().text(sql), context, head).sql());
      }
      text.append(" THEN ");
      switch (when.action()) {
        case DELETE -> text.append("DELETE");
        case NOTHING -> text.append("DO NOTHING");
        case UPDATE -> text.append("UPDATE SET ")
            .append(fragment("SELECT ", when.body().orElseThrow().text(sql), context, head).sql());
        case INSERT -> text.append("INSERT")
            .append(when.columns().isEmpty() ? (dataColumns.isEmpty() ? "" : " (" + dataColumns + ")")
                : when.columns().stream().map(ReadBinder::quote).collect(Collectors.joining(", ", " (", ")")))
            .append(" VALUES (").append(fragment("SELECT ", when.body().orElseThrow().text(sql), context, head).sql())
            .append("\n)");
        default -> throw new IllegalStateException(when.action().toString());
      }
    }
    return new Composed(text + suffix, source.defaultCatalog());
  }

  /**
   * An INSERT's row of constants as the query {@code VALUES <row>}, judged by DuckDB's reading. It
   * names nothing, so nothing is bound and no commit's catalog is entered; the write still reads
   * the branch it changes, so READ on {@code head} is required as for any other INSERT.
   */
  String constantRow(InsertInto.ConstantRow row, TableWrites.Context context, ResolvedReference head) {
    access.requireRead(context.user(), List.of(head));
    String query = ConstantRows.query(row);
    QueryCheck.check(context.engine(), query, List.of(), java.util.Set.of());
    return query;
  }

  /** Whether Tarn can tell which tables {@code query} reads (what a view's query must allow). */
  boolean readsKnownTables(String query) {
    return frontend.parse(query).parsedByCalcite();
  }

  /** A client query (CREATE TABLE AS, INSERT's rows, a view's body), bound and judged. */
  Bound query(String text, TableWrites.Context context, ResolvedReference head) {
    ParsedStatement parsed = frontend.parse(text);
    if (parsed.kind() != StatementKind.QUERY) {
      throw new EngineException(Reason.INVALID,
          "expected a query (SELECT, VALUES, WITH ...), not: " + Snippets.oneLine(text, 80));
    }
    Bound bound = binder.bind(parsed, context.current(), head, context.schema(),
        SessionTemporaries.of(context.engine()), reference -> access.may(context.user(), Privilege.READ, reference),
        at -> access.requireRead(context.user(), at));
    // a write's sources are reads: READ on every reference they name
    access.requireRead(context.user(), bound.commits());
    QueryCheck.check(context.engine(), bound.sql(), bound.commits(), bound.scanFiles());
    return bound;
  }

  /**
   * A client fragment made a query by {@code prefix}, bound and judged as that query; the result's
   * text is the bound fragment alone, without the prefix.
   */
  private Bound fragment(String prefix, String fragment, TableWrites.Context context, ResolvedReference head) {
    Bound probe = query(prefix + fragment, context, head);
    if (!probe.sql().startsWith(prefix)) {
      throw new IllegalStateException("binding changed the prefix Tarn wrote: " + Snippets.oneLine(probe.sql(), 80));
    }
    return probe.withoutPrefix(prefix.length());
  }

  /** Column definitions ({@code a INT, b VARCHAR}): names and types only, judged as a STRUCT type's fields. */
  static void checkColumns(EngineSession engine, String columnsText) {
    checkType(engine, "STRUCT(" + columnsText + "\n)", "column definitions may hold names and types only");
  }

  /** A type as written by the client ({@code DECIMAL(10, 2)}, {@code INT[]}), judged as a cast. */
  static void checkType(EngineSession engine, String typeText) {
    checkType(engine, typeText, "expected a type");
  }

  private static void checkType(EngineSession engine, String typeText, String what) {
    try {
      QueryCheck.check(engine, "SELECT CAST(NULL AS " + typeText + "\n)", java.util.List.of(), java.util.Set.of());
    } catch (EngineException e) {
      throw new EngineException(Reason.INVALID,
          what + ": " + Snippets.oneLine(typeText, 80) + " (" + e.getMessage() + ")", e);
    }
  }
}
