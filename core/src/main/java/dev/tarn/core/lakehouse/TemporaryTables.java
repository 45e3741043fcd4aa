package dev.tarn.core.lakehouse;

import dev.tarn.catalog.ResolvedReference;
import dev.tarn.executor.EngineException;
import dev.tarn.executor.EngineException.Reason;
import dev.tarn.executor.ExecutionResult;
import dev.tarn.executor.RowStream;
import dev.tarn.executor.UpdateCount;
import dev.tarn.core.lakehouse.ReadBinder.Bound;
import dev.tarn.sql.ParsedStatement;
import dev.tarn.sql.TableReference;
import dev.tarn.sql.write.CreateTable;
import dev.tarn.sql.write.CreateView;
import dev.tarn.sql.write.DropTable;
import dev.tarn.sql.write.RowWrite;
import dev.tarn.sql.write.TableWrite;
import dev.tarn.sql.write.TargetedWrite;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Optional;

/**
 * A session's temporary tables and views, as in DuckDB: they live in the session's own {@code temp}
 * catalog, which no other session can name, outside the lakehouse and its commits. A name is
 * temporary when written {@code temp.x} or {@code temp.main.x}, when created with {@code TEMP},
 * or, unqualified, when the session has a temporary table or view of that name (DuckDB looks there
 * first). Tarn writes the DuckDB text of each statement, with the client's queries judged as for any
 * write ({@link WriteComposer}).
 */
final class TemporaryTables {
  private static final String CATALOG = "temp";
  private final WriteComposer composer;

  TemporaryTables(WriteComposer composer) {
    this.composer = composer;
  }

  /** True when the write creates, drops or changes a temporary table or view. */
  boolean isTemporary(TableWrite write, TableWrites.Context context) {
    if (write instanceof CreateTable create) {
      return create.temporary();
    }
    if (write instanceof CreateView view) {
      return view.temporary();
    }
    if (write instanceof TargetedWrite targeted) {
      return existingName(targeted.target(), context).isPresent();
    }
    return false;
  }

  long execute(ParsedStatement statement, TableWrite write, TableWrites.Context context, ResolvedReference head) {
    if (write instanceof CreateTable create) {
      return create(statement, create, context, head);
    }
    if (write instanceof CreateView view) {
      Bound query = composer.query(view.asQuery().text(statement.sql()), context, head);
      return run("CREATE " + (view.orReplace() ? "OR REPLACE " : "") + "TEMP VIEW "
          + (view.ifNotExists() ? "IF NOT EXISTS " : "") + name(view.target(), context) + " AS\n" + query.sql(),
          query.defaultCatalog(), context);
    }
    TargetedWrite targeted = (TargetedWrite) write;
    String name = existingName(targeted.target(), context).orElseThrow();
    if (write instanceof DropTable drop) {
      return run("DROP " + (drop.view() ? "VIEW " : "TABLE ") + (drop.ifExists() ? "IF EXISTS " : "") + name,
          composer.defaultCatalog(head), context);
    }
    if (write instanceof RowWrite rows) {
      WriteComposer.Composed composed = composer.rows(statement, rows, name, context, head, Optional.empty());
      return run(composed.sql(), composed.defaultCatalog(), context);
    }
    throw new EngineException(Reason.INVALID, "this statement is not supported on temporary tables; they take"
        + " CREATE, DROP, INSERT, UPDATE and DELETE");
  }

  private long create(ParsedStatement statement, CreateTable create, TableWrites.Context context,
      ResolvedReference head) {
    if (!create.partitionBy().isEmpty()) {
      throw new EngineException(Reason.INVALID, "temporary tables are not partitioned: leave out PARTITIONED BY");
    }
    String prefix = "CREATE " + (create.orReplace() ? "OR REPLACE " : "") + "TEMP TABLE "
        + (create.ifNotExists() ? "IF NOT EXISTS " : "") + name(create.target(), context);
    if (create.asQuery().isPresent()) {
      Bound query = composer.query(create.asQuery().get().text(statement.sql()), context, head);
      return run(prefix + " AS\n" + query.sql(), query.defaultCatalog(), context);
    }
    String columns = create.columnsText().orElseThrow();
    WriteComposer.checkColumns(context.engine(), columns);
    return run(prefix + " (" + columns + "\n)", composer.defaultCatalog(head), context);
  }

  /** The name a new temporary object gets: {@code temp.x} and {@code temp.main.x} are x, nothing else qualifies. */
  private static String name(TableReference target, TableWrites.Context context) {
    List<String> parts = target.nameParts();
    boolean temp = parts.size() == 1 || isTempQualifier(parts);
    if (!temp) {
      throw new EngineException(Reason.INVALID, "a temporary table or view is named x, temp.x or temp.main.x, not "
          + target.qualifiedName());
    }
    return ReadBinder.quote(parts.get(parts.size() - 1)); // with TEMP, DuckDB creates it in temp.main
  }

  private static boolean isTempQualifier(List<String> parts) {
    return parts.get(0).equalsIgnoreCase(CATALOG)
        && (parts.size() == 2 || (parts.size() == 3 && parts.get(1).equalsIgnoreCase("main")));
  }

  /**
   * The DuckDB name of the temporary table or view a reference names: {@code temp.x} and {@code
   * temp.main.x} always, an unqualified name when the session has one of that name.
   */
  static Optional<String> existingName(TableReference target, TableWrites.Context context) {
    List<String> parts = target.nameParts();
    if (isTempQualifier(parts)) {
      return Optional.of(qualified(parts.get(parts.size() - 1)));
    }
    if (parts.size() != 1) {
      return Optional.empty();
    }
    boolean exists = context.engine().withConnection(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM duckdb_tables() WHERE temporary AND"
          + " table_name = ? UNION ALL SELECT count(*) FROM duckdb_views() WHERE temporary AND view_name = ?")) {
        ps.setString(1, parts.get(0));
        ps.setString(2, parts.get(0));
        try (ResultSet rs = ps.executeQuery()) {
          long found = 0;
          while (rs.next()) {
            found += rs.getLong(1);
          }
          return found > 0;
        }
      }
    });
    return exists ? Optional.of(qualified(parts.get(0))) : Optional.empty();
  }

  private static String qualified(String name) {
    return CATALOG + ".main." + ReadBinder.quote(name);
  }

  private static long run(String sql, String defaultCatalog, TableWrites.Context context) {
    context.engine().useCatalog(defaultCatalog);
    ExecutionResult result = context.engine().newExecution(sql, context.parameters(), context.allocator()).run();
    if (result instanceof RowStream rows) {
      rows.close();
      return 0;
    }
    return ((UpdateCount) result).rows();
  }
}
