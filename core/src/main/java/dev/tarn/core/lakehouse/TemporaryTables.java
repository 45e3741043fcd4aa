package dev.tarn.core.lakehouse;

import dev.tarn.catalog.ResolvedReference;
import dev.tarn.executor.EngineException;
import dev.tarn.executor.EngineException.Reason;
import dev.tarn.executor.EngineSession;
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
import java.util.List;
import java.util.Optional;

/**
 * A session's temporary tables and views, as in DuckDB: no other session can name them, they live
 * outside the lakehouse and its commits, and they are gone when the session ends. A name is
 * temporary when written {@code temp.x} or {@code temp.main.x}, when created with {@code TEMP}, or,
 * unqualified, when the session has a temporary table or view of that name (DuckDB looks there
 * first). They live in the session's temporary catalog ({@link SessionTemporaries}), which every
 * statement of the session reaches, also while another of its results is still streaming. Tarn
 * writes the DuckDB text of each statement, with the client's queries judged as for any write
 * ({@link WriteComposer}).
 */
final class TemporaryTables {
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
      return SessionTemporaries.of(context.engine()).namesTemporary(targeted.target());
    }
    return false;
  }

  long execute(ParsedStatement statement, TableWrite write, TableWrites.Context context, ResolvedReference head) {
    if (write instanceof CreateTable create) {
      return create(statement, create, context, head);
    }
    if (write instanceof CreateView view) {
      Bound query = composer.query(view.asQuery().text(statement.sql()), context, head);
      return run("CREATE " + (view.orReplace() ? "OR REPLACE " : "") + "VIEW "
          + (view.ifNotExists() ? "IF NOT EXISTS " : "") + newName(view.target(), context) + " AS\n" + query.sql(),
          query.defaultCatalog(), context);
    }
    TargetedWrite targeted = (TargetedWrite) write;
    if (write instanceof DropTable drop && drop.ifExists()
        && SessionTemporaries.of(context.engine()).existing(drop.target()).isEmpty()) {
      return 0;
    }
    String name = existingName(targeted.target(), context.engine()).orElseThrow();
    if (write instanceof DropTable drop) {
      return run("DROP " + (drop.view() ? "VIEW " : "TABLE ") + name, composer.defaultCatalog(head), context);
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
    String prefix = "CREATE " + (create.orReplace() ? "OR REPLACE " : "") + "TABLE "
        + (create.ifNotExists() ? "IF NOT EXISTS " : "") + newName(create.target(), context);
    if (create.asQuery().isPresent()) {
      Bound query = composer.query(create.asQuery().get().text(statement.sql()), context, head);
      return run(prefix + " AS\n" + query.sql(), query.defaultCatalog(), context);
    }
    String columns = create.columnsText().orElseThrow();
    WriteComposer.checkColumns(context.engine(), columns);
    return run(prefix + " (" + columns + "\n)", composer.defaultCatalog(head), context);
  }

  /** The DuckDB name a new temporary object gets: {@code x}, {@code temp.x} and {@code temp.main.x} are x. */
  private static String newName(TableReference target, TableWrites.Context context) {
    List<String> parts = target.nameParts();
    if (parts.size() != 1 && !target.qualifiedAsTemporary()) {
      throw new EngineException(Reason.INVALID, "a temporary table or view is named x, temp.x or temp.main.x, not "
          + target.qualifiedName());
    }
    return SessionTemporaries.sqlName(context.engine().temporaryCatalog(), SessionTemporaries.objectName(target));
  }

  /**
   * The DuckDB name of the temporary table or view a reference names; empty when the reference does
   * not name one ({@link SessionTemporaries#namesTemporary}), an error when it is written {@code
   * temp.x} and the session has no such object.
   */
  static Optional<String> existingName(TableReference target, EngineSession engine) {
    SessionTemporaries temporaries = SessionTemporaries.of(engine);
    if (!temporaries.namesTemporary(target)) {
      return Optional.empty();
    }
    return Optional.of(temporaries.existing(target).orElseThrow(() -> new EngineException(Reason.NOT_FOUND,
        "this session has no temporary table or view " + SessionTemporaries.objectName(target)
            + " (CREATE TEMP TABLE makes one)")));
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
