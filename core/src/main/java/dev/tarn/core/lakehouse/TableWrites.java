package dev.tarn.core.lakehouse;

import com.google.common.base.Ascii;
import dev.tarn.core.audit.ProducedCommit;
import dev.tarn.core.access.AccessControl;
import dev.tarn.core.session.CurrentReference;
import dev.tarn.core.TarnException;
import dev.tarn.catalog.At;
import dev.tarn.catalog.BranchCatalog;
import dev.tarn.catalog.CatalogException;
import dev.tarn.catalog.ChangeSet;
import dev.tarn.catalog.DataFileSpec;
import dev.tarn.catalog.ReadOnlyReferenceException;
import dev.tarn.catalog.ResolvedReference;
import dev.tarn.catalog.SchemaChange;
import dev.tarn.catalog.TableEntry;
import dev.tarn.catalog.TableId;
import dev.tarn.catalog.TableAction;
import dev.tarn.catalog.TableAlreadyExistsException;
import dev.tarn.catalog.TableNotFoundException;
import dev.tarn.executor.EngineException;
import dev.tarn.executor.EngineException.Reason;
import dev.tarn.executor.EngineSession;
import dev.tarn.executor.ExecutionResult;
import dev.tarn.executor.RowStream;
import dev.tarn.executor.UpdateCount;
import dev.tarn.executor.lakehouse.DataFileWriter;
import dev.tarn.executor.lakehouse.IcebergTypes;
import dev.tarn.executor.lakehouse.LakehouseViews;
import dev.tarn.executor.lakehouse.ScratchTable;
import dev.tarn.core.lakehouse.ReadBinder.Bound;
import dev.tarn.sql.ParsedStatement;
import dev.tarn.sql.TableReference;
import dev.tarn.sql.write.AlterAction;
import dev.tarn.sql.write.AlterTable;
import dev.tarn.sql.write.CreateSchema;
import dev.tarn.sql.write.CreateTable;
import dev.tarn.sql.write.CreateView;
import dev.tarn.sql.write.DeleteFrom;
import dev.tarn.sql.write.DropSchema;
import dev.tarn.sql.write.DropTable;
import dev.tarn.sql.write.InsertInto;
import dev.tarn.sql.write.MergeInto;
import dev.tarn.sql.write.PartitionField;
import dev.tarn.sql.write.RowWrite;
import dev.tarn.sql.write.TableWrite;
import dev.tarn.sql.write.UpdateTable;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Consumer;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.duckdb.DuckDBConnection;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.types.Types;

/**
 * Table DDL and DML on lakehouse tables: each statement becomes exactly one catalog commit on
 * the session's branch, with the statement as message and the user as author. DuckDB does the
 * row work against a private scratch table (the user's statement with its target replaced), Tarn
 * writes the resulting rows as Parquet data files and commits them; a failure leaves the branch
 * exactly as it was.
 */
final class TableWrites {
  private final BranchCatalog catalog;
  private final LakehouseViews views;
  private final WriteComposer composer;
  private final TemporaryTables temporary;
  private final AccessControl access;

  TableWrites(BranchCatalog catalog, LakehouseViews views, WriteComposer composer, AccessControl access) {
    this.access = access;
    this.catalog = catalog;
    this.views = views;
    this.composer = composer;
    this.temporary = new TemporaryTables(composer);
  }

  /** The statement's context: who, on which reference, in which schema. */
  /**
   * @param commitNoted told the hash of the commit the statement makes (for its audit record); the
   *     statement's writes run on the engine's threads, so it travels with the context
   */
  record Context(EngineSession engine, CurrentReference current, String schema, String user,
      BufferAllocator allocator, List<Object> parameters, Consumer<String> commitNoted) {

    /** A context whose commit is noted for the statement running on the calling thread. */
    Context(EngineSession engine, CurrentReference current, String schema, String user, BufferAllocator allocator,
        List<Object> parameters) {
      this(engine, current, schema, user, allocator, parameters, ProducedCommit.sink());
    }
  }

  long execute(ParsedStatement statement, TableWrite write, Context context) {
    if (temporary.isTemporary(write, context)) {
      return temporary.execute(statement, write, context, resolveRead(context));
    }
    if (write instanceof CreateView view) {
      return createView(statement, view, context);
    }
    if (write instanceof CreateSchema create) {
      ResolvedReference branch = writableBranch(create.catalog(), context);
      return commit(ChangeSet.on(branch.name()).expectedHash(branch.hash())
          .createNamespace(create.name(), create.ifNotExists()), statement, context);
    }
    if (write instanceof DropSchema drop) {
      return dropSchema(statement, drop, context);
    }
    if (write instanceof CreateTable create) {
      return createTable(statement, create, context);
    }
    if (write instanceof DropTable drop) {
      if (drop.view()) {
        Target target = target(drop.target(), context);
        return commit(ChangeSet.on(target.branch.name()).expectedHash(target.branch.hash())
            .dropView(target.id, drop.ifExists()), statement, context);
      }
      Target target = target(drop.target(), context);
      return commit(ChangeSet.on(target.branch.name()).expectedHash(target.branch.hash())
          .dropTable(target.id, drop.ifExists()), statement, context);
    }
    if (write instanceof AlterTable alter) {
      return alterTable(statement, alter, context);
    }
    if (write instanceof InsertInto insert) {
      if (insert.onConflict().isPresent()) {
        return upsert(statement, insert, context);
      }
      if (insert.upsert()) {
        throw unsupported("INSERT OR REPLACE, INSERT OR IGNORE and ON CONFLICT without a column list need a key,"
            + " which lakehouse tables do not have: write INSERT ... ON CONFLICT (columns) DO UPDATE SET ... (or DO"
            + " NOTHING), or MERGE INTO");
      }
      return insert(statement, insert, context);
    }
    if (write instanceof UpdateTable || write instanceof DeleteFrom) {
      return rewriteRows(statement, (RowWrite) write, context);
    }
    if (write instanceof MergeInto merge) {
      return mergeInto(statement, merge, context);
    }
    throw unsupported(write.getClass().getSimpleName().replaceAll("([a-z])([A-Z])", "$1 $2").toUpperCase()
        + " is not supported on lakehouse tables yet");
  }

  // ---- schemas and tables ----

  private long dropSchema(ParsedStatement statement, DropSchema drop, Context context) {
    ResolvedReference branch = writableBranch(drop.catalog(), context);
    ChangeSet changes = ChangeSet.on(branch.name()).expectedHash(branch.hash());
    if (drop.cascade()) {
      for (TableEntry table : catalog.listTables(pinned(branch), drop.name())) {
        changes.dropTable(table.id(), true);
      }
    }
    return commit(changes.dropNamespace(drop.name(), drop.ifExists()), statement, context);
  }

  private long createTable(ParsedStatement statement, CreateTable create, Context context) {
    Target target = target(create.target(), context);
    boolean exists = catalog.findTable(pinned(target.branch), target.id).isPresent();
    if (exists && create.ifNotExists()) {
      return 0;
    }
    ChangeSet changes = ChangeSet.on(target.branch.name()).expectedHash(target.branch.hash());
    if (exists && create.orReplace()) {
      changes.dropTable(target.id, true);
    }
    if (create.asQuery().isEmpty()) {
      WriteComposer.checkColumns(context.engine(), create.columnsText().orElseThrow());
      Schema schema = context.engine().withConnection(c -> describeColumns(c, create.columnsText().orElseThrow()));
      changes.createTable(target.id, schema, partitionSpec(schema, create.partitionBy()), java.util.Map.of(), false);
      return commit(changes, statement, context);
    }
    String query = create.asQuery().get().text(statement.sql());
    Bound bound = composer.query(query, context, resolveRead(context));
    return context.engine().withConnection(c -> {
      try (ScratchTable scratch = ScratchTable.fromQuery(c, target.id.name(), bound.sql(), bound.defaultCatalog())) {
        Schema schema = scratch.schema();
        String location = catalog.newTableLocation(target.id);
        PartitionSpec spec = partitionSpec(schema, create.partitionBy());
        List<DataFileSpec> files = writer(c).write(scratch, scratch.selectRows(), spec,
            location + "/data");
        changes.createTable(target.id, schema, spec,
            java.util.Map.of(TableAction.CreateTable.LOCATION_PROPERTY, location), false);
        changes.appendFiles(target.id, files);
        commitOrClean(changes, statement, context, files);
        return scratch.count();
      }
    });
  }

  /**
   * {@code CREATE [OR REPLACE] VIEW}: the query is bound and judged as any client query (so its
   * creator must be able to read what it reads), its columns are described, and the view is one
   * commit keeping the query as written; every statement that names it binds it again at the commit
   * it reads.
   */
  private long createView(ParsedStatement statement, CreateView view, Context context) {
    Target target = target(view.target(), context);
    if (view.ifNotExists() && catalog.findView(pinned(target.branch), target.id).isPresent()) {
      return 0;
    }
    String query = view.asQuery().text(statement.sql()).strip();
    Bound bound = composer.query(query, context, resolveRead(context));
    if (!composer.readsKnownTables(query)) {
      throw unsupported("CREATE VIEW " + target.id + ": Tarn cannot tell which tables this query reads, so the view"
          + " could not read them at the commit a statement reads; write it in plain SELECT syntax");
    }
    Schema schema = context.engine().withConnection(c -> IcebergTypes.toSchema(IcebergTypes.describe(c, bound.sql())));
    return commit(ChangeSet.on(target.branch.name()).expectedHash(target.branch.hash())
        .createView(target.id, query, context.schema(), schema, view.orReplace()), statement, context);
  }

  private long alterTable(ParsedStatement statement, AlterTable alter, Context context) {
    Target target = target(alter.target(), context);
    List<SchemaChange> changes = new ArrayList<>();
    for (AlterAction action : alter.actions()) {
      if (action instanceof AlterAction.AddColumn add) {
        if (add.constraintsText().isPresent()) {
          throw unsupported("ADD COLUMN " + add.name() + ": defaults and constraints (" + add.constraintsText().get()
              + ") are not supported on lakehouse tables; add the column with its type only");
        }
        WriteComposer.checkType(context.engine(), add.typeText());
        String type = context.engine().withConnection(c -> IcebergTypes.describeType(c, add.typeText()));
        changes.add(new SchemaChange.AddColumn(add.name(), IcebergTypes.toIceberg(add.name(), type), null));
      } else if (action instanceof AlterAction.DropColumn drop) {
        changes.add(new SchemaChange.DropColumn(drop.name()));
      } else if (action instanceof AlterAction.RenameColumn rename) {
        changes.add(new SchemaChange.RenameColumn(rename.from(), rename.to()));
      } else {
        throw unsupported("this ALTER TABLE action is not supported on lakehouse tables; supported:"
            + " ADD COLUMN, DROP COLUMN, RENAME COLUMN");
      }
    }
    return commit(ChangeSet.on(target.branch.name()).expectedHash(target.branch.hash())
        .updateSchema(target.id, changes.toArray(SchemaChange[]::new)), statement, context);
  }

  // ---- rows ----

  /** INSERT: the user's statement fills an empty scratch table; its rows become new data files. */
  private long insert(ParsedStatement statement, InsertInto insert, Context context) {
    Target target = existingTarget(insert.target(), context);
    Table table = catalog.loadTable(pinned(target.branch), target.id);
    Optional<InsertInto.ConstantRow> constantRow = context.parameters().isEmpty()
        ? ConstantRows.of(insert, context.engine()) : Optional.empty();
    if (constantRow.isPresent()) {
      return insertConstantRow(statement, insert, constantRow.get(), target, table, context);
    }
    return context.engine().withConnection(c -> {
      try (ScratchTable scratch = ScratchTable.create(c, target.id.name(), table.schema())) {
        long rows = runAgainstScratch(statement, insert, scratch, target, context, false).count();
        if (rows == 0) {
          return 0L;
        }
        List<DataFileSpec> files = writer(c).compressionOf(table).write(scratch, scratch.selectRows(),
            table.spec(), table.location() + "/data");
        commitOrClean(ChangeSet.on(target.branch.name()).expectedHash(target.branch.hash())
            .appendFiles(target.id, files), statement, context, files);
        return rows;
      }
    });
  }

  /**
   * INSERT of one row of constants ({@link InsertInto.ConstantRow}), the common one-row INSERT: the
   * row is cast to the table's types and written straight to a data file, without a scratch table
   * and without the commit's catalog, since it names nothing. The checks DuckDB's INSERT would make
   * (the column list, the number of values) are made here.
   */
  private long insertConstantRow(ParsedStatement statement, InsertInto insert, InsertInto.ConstantRow row,
      Target target, Table table, Context context) {
    List<Types.NestedField> filled = filledColumns(insert.columns(), row.width(), target.id, table.schema());
    String values = composer.constantRow(row, context, target.branch);
    return context.engine().withInlineConnection(c -> {
      List<DataFileSpec> files = writer(c).compressionOf(table).writeRow(values, filled, table.schema(),
          table.spec(), table.location() + "/data");
      commitOrClean(ChangeSet.on(target.branch.name()).expectedHash(target.branch.hash())
          .appendFiles(target.id, files), statement, context, files);
      return files.stream().mapToLong(DataFileSpec::recordCount).sum();
    });
  }

  /**
   * The table's columns an INSERT's values fill, in the values' order: those of its column list
   * (matched as DuckDB matches names, ignoring case), or all of them; refused, naming the table,
   * when a listed column does not exist or is listed twice, or the row has another number of values.
   */
  static List<Types.NestedField> filledColumns(List<String> listed, int width, TableId id,
      Schema schema) {
    String columnNames = String.join(", ", schema.columns().stream().map(Types.NestedField::name).toList());
    if (listed.isEmpty()) {
      if (width != schema.columns().size()) {
        throw new EngineException(Reason.INVALID, "INSERT INTO " + id + ": the table has " + schema.columns().size()
            + " columns (" + columnNames + ") but the row has " + width + " values");
      }
      return schema.columns();
    }
    List<Types.NestedField> filled = new ArrayList<>();
    Set<Integer> seen = new java.util.HashSet<>();
    for (String name : listed) {
      Types.NestedField field = column(schema, name);
      if (field == null) {
        throw new EngineException(Reason.INVALID, "INSERT INTO " + id + ": the table has no column " + name
            + " (its columns: " + columnNames + ")");
      }
      if (!seen.add(field.fieldId())) {
        throw new EngineException(Reason.INVALID, "INSERT INTO " + id + ": column " + field.name()
            + " is listed twice");
      }
      filled.add(field);
    }
    if (width != filled.size()) {
      throw new EngineException(Reason.INVALID, "INSERT INTO " + id + ": " + filled.size() + " columns are listed ("
          + String.join(", ", listed) + ") but the row has " + width + " values");
    }
    return filled;
  }

  /**
   * The column {@code name} names, as DuckDB's binder finds it: the one spelled exactly so, else the
   * one equal to it when ASCII letters are folded to lower case (DuckDB folds no other letters:
   * {@code "école"} and {@code "ÉCOLE"} are two columns); null when none is.
   */
  private static Types.NestedField column(Schema schema, String name) {
    for (Types.NestedField f : schema.columns()) {
      if (f.name().equals(name)) {
        return f;
      }
    }
    for (Types.NestedField f : schema.columns()) {
      if (Ascii.equalsIgnoreCase(f.name(), name)) {
        return f;
      }
    }
    return null;
  }

  /**
   * UPDATE and DELETE, copy-on-write: the table's rows are loaded into a scratch table that knows
   * each row's file, the user's statement runs there with {@code RETURNING} the files it touched,
   * and only those files are rewritten.
   */
  private long rewriteRows(ParsedStatement statement, RowWrite write, Context context) {
    if (write.hasReturning()) {
      throw unsupported("RETURNING is not supported on lakehouse tables");
    }
    Target target = existingTarget(write.target(), context);
    Table table = catalog.loadTable(pinned(target.branch), target.id);
    List<String> files = views.bindScan(target.branch, target.id, null, null).files();
    return context.engine().withConnection(c -> {
      try (ScratchTable scratch = ScratchTable.loadedWith(c, target.id.name(), table.schema(), files)) {
        Touched touched = runAgainstScratch(statement, write, scratch, target, context, true);
        if (touched.files().isEmpty()) {
          return 0L;
        }
        // DuckDB names the local copies it read; the catalog knows the files by their locations
        List<String> removed = List.copyOf(touched.files());
        List<DataFileSpec> added = writer(c).compressionOf(table).write(scratch, scratch.selectRowsFrom(removed),
            table.spec(), table.location() + "/data");
        List<String> removedLocations = removed.stream().map(views.files()::locationOf).toList();
        commitOrClean(ChangeSet.on(target.branch.name()).expectedHash(target.branch.hash())
            .replaceFiles(target.id, removedLocations, added), statement, context, added);
        return touched.count();
      }
    });
  }

  /** MERGE INTO: copy-on-write with inserts, nothing to prepare. */
  private long mergeInto(ParsedStatement statement, MergeInto merge, Context context) {
    return rewriteWithInserts(statement, merge, context, (c, scratch, table) -> { });
  }

  /**
   * {@code INSERT ... ON CONFLICT (columns) DO ...}: the conflict columns are the key for this
   * statement, so the table's rows must be unique on them (a unique index on the scratch table holds
   * DuckDB to it); then as MERGE INTO.
   */
  private long upsert(ParsedStatement statement, InsertInto insert, Context context) {
    List<String> key = insert.onConflict().orElseThrow().columns();
    return rewriteWithInserts(statement, insert, context, (c, scratch, table) -> indexKey(c, scratch, table, key));
  }

  /**
   * Makes {@code key} the scratch table's unique key, for ON CONFLICT: every column must exist, and
   * the rows already there must be unique on them.
   */
  static void indexKey(Connection c, ScratchTable scratch, Table table, List<String> key) {
    String named = "ON CONFLICT (" + String.join(", ", key) + ")";
    for (String column : key) {
      if (table.schema().caseInsensitiveFindField(column) == null) {
        throw new TarnException(TarnException.Kind.INVALID_ARGUMENT, named + ": table " + table.name()
            + " has no column " + column);
      }
    }
    String columns = key.stream().map(ReadBinder::quote).collect(java.util.stream.Collectors.joining(", "));
    try (Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT " + columns + " FROM " + scratch.name() + " GROUP BY ALL"
          + " HAVING count(*) > 1 LIMIT 1")) {
        if (rs.next()) {
          throw new TarnException(TarnException.Kind.INVALID_ARGUMENT, named + ": the table already holds several"
              + " rows with the same " + String.join(", ", key) + ", so those columns do not identify a row;"
              + " use MERGE INTO");
        }
      }
      s.execute("CREATE UNIQUE INDEX " + ReadBinder.quote("tarn_conflict_key") + " ON " + scratch.name() + " ("
          + columns + ")");
    } catch (SQLException e) {
      throw new TarnException(TarnException.Kind.INVALID_ARGUMENT, named + ": " + e.getMessage());
    }
  }

  /** What runs on the loaded scratch table before the statement: checks and indexes. */
  @FunctionalInterface
  private interface ScratchSetup {
    void prepare(Connection c, ScratchTable scratch, Table table);
  }

  /**
   * Copy-on-write for statements that may also insert (MERGE INTO, INSERT ... ON CONFLICT): the whole
   * table is loaded into a scratch table (any row may match), the statement runs against it, and only
   * the files of the rows it updated or deleted are written again, with the inserted rows as new
   * files; one commit. One that only inserted appends, so it commutes with others' appends.
   */
  private long rewriteWithInserts(ParsedStatement statement, RowWrite write, Context context, ScratchSetup setup) {
    if (write.hasReturning()) {
      throw unsupported("RETURNING is not supported on lakehouse tables");
    }
    Target target = existingTarget(write.target(), context);
    Table table = catalog.loadTable(pinned(target.branch), target.id);
    List<String> files = views.bindScan(target.branch, target.id, null, null).files();
    return context.engine().withConnection(c -> {
      try (ScratchTable scratch = ScratchTable.loadedWith(c, target.id.name(), table.schema(), files)) {
        setup.prepare(c, scratch, table);
        Touched touched = runAgainstScratch(statement, write, scratch, target, context, true);
        if (touched.count() == 0) {
          return 0L;
        }
        List<String> removed = List.copyOf(touched.files());
        List<DataFileSpec> added = writer(c).compressionOf(table).write(scratch, scratch.selectRowsFromOrNew(removed),
            table.spec(), table.location() + "/data");
        ChangeSet changes = ChangeSet.on(target.branch.name()).expectedHash(target.branch.hash());
        if (removed.isEmpty()) {
          changes.appendFiles(target.id, added);
        } else {
          changes.replaceFiles(target.id, removed.stream().map(views.files()::locationOf).toList(), added);
        }
        commitOrClean(changes, statement, context, added);
        return touched.count();
      }
    });
  }

  /** Rows a statement changed, and the data files they came from (for UPDATE/DELETE). */
  record Touched(long count, Set<String> files) {}

  private Touched runAgainstScratch(ParsedStatement statement, RowWrite write, ScratchTable scratch, Target target,
      Context context, boolean returningFiles) {
    // The scratch table carries the target's own name, so "t.col" and aliases keep working.
    WriteComposer.Composed composed = composer.rows(statement, write, scratch.name(), scratch.columnList(), context,
        target.branch, returningFiles ? Optional.of(ScratchTable.FILE_COLUMN) : Optional.empty());
    context.engine().useCatalog(composed.defaultCatalog());
    ExecutionResult result = context.engine().newExecution(composed.sql(), context.parameters(), context.allocator())
        .run();
    if (result instanceof UpdateCount count) {
      return new Touched(count.rows(), Set.of());
    }
    try (RowStream rows = (RowStream) result) {
      Set<String> files = new LinkedHashSet<>();
      long count = 0;
      while (rows.next()) {
        VectorSchemaRoot root = rows.root();
        FieldVector file = root.getVector(0);
        for (int i = 0; i < root.getRowCount(); i++) {
          count++;
          Object value = file.getObject(i);
          if (value != null) {
            files.add(value.toString());
          }
        }
      }
      return new Touched(count, files);
    }
  }

  // ---- bulk ingest ----

  /**
   * Appends an Arrow stream to a table as one commit (creating or replacing it as asked). DuckDB
   * scans the stream as it arrives into a scratch table; its rows become the new data files.
   */
  long ingest(IngestRequest request, ArrowReader data, Context context) {
    ResolvedReference branch = writableBranch(request.branch(), context);
    TableId id = TableId.of(request.schema().orElse(context.schema()), request.table());
    boolean exists = catalog.findTable(pinned(branch), id).isPresent();
    if (exists && request.ifExists() == IngestRequest.IfExists.FAIL) {
      throw new TableAlreadyExistsException(id, branch.describe());
    }
    if (!exists && request.ifMissing() == IngestRequest.IfMissing.FAIL) {
      throw new TableNotFoundException(id, branch.describe());
    }
    boolean append = exists && request.ifExists() == IngestRequest.IfExists.APPEND;
    String message = "INGEST INTO " + id + (append ? " (append)" : exists ? " (replace)" : " (create)");
    return context.engine().withConnection(c -> {
      String stream = "tarn_ingest_" + UUID.randomUUID().toString().replace("-", "");
      try (ArrowArrayStream exported = ArrowArrayStream.allocateNew(context.allocator())) {
        Data.exportArrayStream(context.allocator(), data, exported);
        c.unwrap(DuckDBConnection.class).registerArrowStream(stream, exported);
        ChangeSet changes = ChangeSet.on(branch.name()).expectedHash(branch.hash())
            .message(message).author(context.user());
        return append ? appendStream(c, stream, branch, id, changes, context)
            : createFromStream(c, stream, exists, id, changes, context);
      }
    });
  }

  private long appendStream(Connection c, String stream, ResolvedReference branch, TableId id, ChangeSet changes,
      Context context)
      throws java.sql.SQLException {
    Table table = catalog.loadTable(pinned(branch), id);
    IcebergTypes.checkAppendable(IcebergTypes.describe(c, "SELECT * FROM " + stream), table.schema(), id.toString());
    try (ScratchTable scratch = ScratchTable.create(c, id.name(), table.schema())) {
      try (java.sql.Statement s = c.createStatement()) {
        s.execute("INSERT INTO " + scratch.name() + " BY NAME SELECT * FROM " + stream);
      }
      List<DataFileSpec> files = writer(c).compressionOf(table).write(scratch, scratch.selectRows(),
          table.spec(), table.location() + "/data");
      commitFiles(changes.appendFiles(id, files), files, context);
      return scratch.count();
    }
  }

  private long createFromStream(Connection c, String stream, boolean replace, TableId id, ChangeSet changes,
      Context context) {
    try (ScratchTable scratch = ScratchTable.fromQuery(c, id.name(), "SELECT * FROM " + stream, null)) {
      if (replace) {
        changes.dropTable(id, true);
      }
      String location = catalog.newTableLocation(id);
      List<DataFileSpec> files = writer(c).write(scratch, scratch.selectRows(),
          PartitionSpec.unpartitioned(), location + "/data");
      changes.createTable(id, scratch.schema(), PartitionSpec.unpartitioned(),
          java.util.Map.of(TableAction.CreateTable.LOCATION_PROPERTY, location), false);
      commitFiles(changes.appendFiles(id, files), files, context);
      return scratch.count();
    }
  }

  /** Commits changes that add these new files, deleting the files when the commit fails. */
  void commitFiles(ChangeSet changes, List<DataFileSpec> files, Context context) {
    try {
      context.commitNoted().accept(catalog.commit(changes).hash());
    } catch (RuntimeException e) {
      DataFileWriter.deleteQuietly(files, views.files());
      throw e;
    }
  }

  // ---- helpers ----

  /** Writes data files where the warehouse keeps them (uploaded, for object storage). */
  private DataFileWriter writer(Connection c) {
    return new DataFileWriter(c, views.files());
  }

  /** A table a write names, on a branch head the session may write. */
  record Target(ResolvedReference branch, TableId id) {}

  private Target target(TableReference reference, Context context) {
    TableId id = TableResolver.tableId(reference, context.schema());
    List<String> parts = reference.nameParts();
    String branchName = parts.size() == 3 ? parts.get(0) : null;
    ResolvedReference branch = writableBranch(Optional.ofNullable(branchName), context);
    return new Target(branch, id);
  }

  /**
   * The table a write names, which must exist, on a branch the session may write (OPTIMIZE uses it
   * too). Such a write reads the table (its rows, or how many it changed), so READ on the branch is
   * required before anything of the table is looked up: a writer without READ learns no more than
   * that it lacks it.
   */
  Target existingTarget(TableReference reference, Context context) {
    Target target = target(reference, context);
    access.requireRead(context.user(), target.branch);
    if (!views.tableExists(target.branch, target.id)) { // remembered per commit, as reads look it up
      throw new TableNotFoundException(target.id, target.branch.describe());
    }
    return target;
  }

  /** The branch a write goes to: named, or the session's; tags and past commits are read-only. */
  private ResolvedReference writableBranch(Optional<String> named, Context context) {
    String current = context.current().name();
    if (named.isPresent() && Transactions.isTransactionBranch(current)) {
      // Inside a transaction every write goes to its private branch: naming the branch it commits into
      // means that branch; naming another would commit there at once, outside the transaction.
      String target = access.transactionTarget(current).orElse(current);
      if (!named.get().equals(target) && !named.get().equals(current)) {
        throw new CatalogException("inside a transaction, writes go to the branch it commits into, " + target
            + "; a write into " + named.get() + " would commit at once, outside it: COMMIT or ROLLBACK first");
      }
      named = Optional.empty();
    }
    ResolvedReference at = catalog.resolve(named
        .map(name -> At.reference(ReferenceCommands.visible(name, context.current())))
        .orElse(context.current().at()));
    if (!at.writable()) {
      throw new ReadOnlyReferenceException(at);
    }
    // every lakehouse write and ingest lands here: WRITE on the branch, which must not be protected
    access.requireDirectWrite(context.user(), at.name());
    return at;
  }

  private ResolvedReference resolveRead(Context context) {
    return catalog.resolve(context.current().at());
  }

  /** Commits a change that moves no rows (DDL); its update count is 0. */
  private long commit(ChangeSet changes, ParsedStatement statement, Context context) {
    context.commitNoted().accept(
        catalog.commit(changes.message(statement.sql().strip()).author(context.user())).hash());
    return 0;
  }

  private void commitOrClean(ChangeSet changes, ParsedStatement statement, Context context,
      List<DataFileSpec> files) {
    commitFiles(changes.message(statement.sql().strip()).author(context.user()), files, context);
  }

  private static Schema describeColumns(Connection c, String columnsText) {
    return IcebergTypes.toSchema(IcebergTypes.describeColumns(c, columnsText));
  }

  private static PartitionSpec partitionSpec(Schema schema, List<PartitionField> fields) {
    if (fields.isEmpty()) {
      return PartitionSpec.unpartitioned();
    }
    PartitionSpec.Builder spec = PartitionSpec.builderFor(schema);
    for (PartitionField f : fields) {
      String column = f.column();
      if (schema.findField(column) == null) {
        throw new EngineException(Reason.NOT_FOUND,
            "PARTITIONED BY names the column " + column + ", which the table does not have");
      }
      switch (f.transform()) {
        case "identity" -> spec.identity(column);
        case "year" -> spec.year(column);
        case "month" -> spec.month(column);
        case "day" -> spec.day(column);
        case "hour" -> spec.hour(column);
        case "bucket" -> spec.bucket(column, f.argument().orElseThrow());
        case "truncate" -> spec.truncate(column, f.argument().orElseThrow());
        default -> throw unsupported("partition transform " + f.transform());
      }
    }
    return spec.build();
  }

  private static At pinned(ResolvedReference at) {
    return TableResolver.pinned(at);
  }

  private static EngineException unsupported(String what) {
    return new EngineException(Reason.INVALID, what);
  }
}
