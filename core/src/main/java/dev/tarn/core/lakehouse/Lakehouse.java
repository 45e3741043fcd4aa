package dev.tarn.core.lakehouse;

import dev.tarn.catalog.CatalogException;
import dev.tarn.catalog.BranchCatalog;
import dev.tarn.catalog.NamespaceNotFoundException;
import dev.tarn.catalog.ResolvedReference;
import dev.tarn.executor.DuckDbEngine;
import dev.tarn.executor.EngineException;
import dev.tarn.executor.EngineReading;
import dev.tarn.executor.EngineSession;
import dev.tarn.executor.Execution;
import dev.tarn.executor.ExecutionResult;
import dev.tarn.executor.RowStream;
import dev.tarn.executor.StatementDescription;
import dev.tarn.executor.UpdateCount;
import dev.tarn.executor.lakehouse.DataFileStore;
import dev.tarn.executor.lakehouse.LakehouseViews;
import dev.tarn.executor.lakehouse.ScratchTable;
import dev.tarn.core.access.AccessControl;
import dev.tarn.core.lakehouse.ReadBinder.Bound;
import dev.tarn.core.session.Session;
import dev.tarn.sql.Explain;
import dev.tarn.sql.ParsedStatement;
import dev.tarn.sql.PointInTimeParameter;
import dev.tarn.sql.SqlFrontend;
import dev.tarn.sql.StatementKind;
import dev.tarn.sql.command.HousekeepingCommand;
import dev.tarn.sql.command.OptimizeTable;
import dev.tarn.sql.command.ReferenceCommand;
import dev.tarn.sql.write.RowWrite;
import dev.tarn.sql.write.InsertInto;
import dev.tarn.sql.write.TableWrite;
import java.util.ArrayList;
import dev.tarn.sql.command.access.Privilege;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.iceberg.Table;

/**
 * The lakehouse as the server sees it: every statement of a session runs against the session's
 * reference in the branch catalog. Reads are bound to views over the data files at one commit;
 * writes become one catalog commit each; branch and tag commands go to the catalog.
 */
public final class Lakehouse implements AutoCloseable {
  /** Data files smaller than this count as small: OPTIMIZE TABLE rewrites them into few large ones. */
  public static final long SMALL_FILE_BYTES = 64L << 20;
  private static final Schema EMPTY = new Schema(List.of());

  private final BranchCatalog catalog;
  private final LakehouseViews views;
  private final ReadBinder binder;
  private final ReadBinder describer;
  private final MetadataCounts counts;
  private final SqlFrontend frontend;
  private final WriteComposer describedWrites;
  private final TableWrites writes;
  private final TableCompaction compaction;
  private final Housekeeper housekeeper;
  private final ReferenceCommands commands;
  private final Transactions transactions;
  /** EXPLAIN output with the server's storage paths cut out. */
  private final PlanText plans;
  private final DescriptionCache descriptions = new DescriptionCache();
  private final AccessControl access;
  private final HiddenBranches hidden;

  public Lakehouse(BranchCatalog catalog, DuckDbEngine engine, SqlFrontend frontend, ReadBinder.ScanListener scans) {
    this(catalog, engine, frontend, scans, DataFileStore.local());
  }

  public Lakehouse(BranchCatalog catalog, DuckDbEngine engine, SqlFrontend frontend, ReadBinder.ScanListener scans,
      DataFileStore files) {
    this(catalog, engine, frontend, scans, files, AccessControl.open());
  }

  /**
   * @param files where DuckDB finds and writes data files' bytes: the warehouse folder itself, or
   *     a local cache of an object-store warehouse
   */
  public Lakehouse(BranchCatalog catalog, DuckDbEngine engine, SqlFrontend frontend, ReadBinder.ScanListener scans,
      DataFileStore files, AccessControl access) {
    this(catalog, engine, frontend, scans, files, access, HiddenBranches.NONE);
  }

  /** @param hidden the branches catalog lists leave out unless asked for all (failed runs' branches) */
  public Lakehouse(BranchCatalog catalog, DuckDbEngine engine, SqlFrontend frontend, ReadBinder.ScanListener scans,
      DataFileStore files, AccessControl access, HiddenBranches hidden) {
    this.hidden = hidden;
    this.access = access;
    this.catalog = catalog;
    this.views = new LakehouseViews(engine, catalog, files);
    TableResolver resolver = new TableResolver(catalog, views, access::transactionTarget);
    this.binder = new ReadBinder(resolver, views, frontend::parse, scans);
    this.describer = binder.silent();
    this.counts = new MetadataCounts(resolver, views);
    this.frontend = frontend;
    this.describedWrites = new WriteComposer(frontend, describer, access);
    this.writes = new TableWrites(catalog, views, new WriteComposer(frontend, binder, access), access);
    this.compaction = new TableCompaction(catalog, views, writes);
    this.housekeeper = new Housekeeper(catalog, views, access, java.time.Clock.systemUTC());
    this.commands = new ReferenceCommands(catalog, access, hidden);
    this.transactions = new Transactions(catalog, access);
    this.plans = new PlanText(List.of(engine.config().warehouse().toAbsolutePath().normalize().toString(),
        catalog.warehouseLocation()));
  }

  /** The branches catalog lists leave out unless asked for all of them. */
  public HiddenBranches hiddenBranches() {
    return hidden;
  }

  /** Who may do what: every statement, command, ingest and listing asks it. */
  public AccessControl access() {
    return access;
  }

  public Transactions transactions() {
    return transactions;
  }

  /** BEGIN, COMMIT or ROLLBACK (and their synonyms START TRANSACTION, END, ABORT). */
  public void transaction(Session session, String leadingKeyword) {
    switch (leadingKeyword) {
      case "BEGIN", "START" -> transactions.begin(session);
      case "COMMIT", "END" -> transactions.commit(session);
      case "ROLLBACK", "ABORT" -> transactions.rollback(session);
      default -> throw new CatalogException(leadingKeyword + " is not a transaction statement;"
          + " use BEGIN, COMMIT or ROLLBACK");
    }
  }

  public BranchCatalog catalog() {
    return catalog;
  }

  public LakehouseViews views() {
    return views;
  }

  /** What a statement returns and which parameters it takes, without running it. */
  public StatementDescription describe(Session session, ParsedStatement statement) {
    if (statement.command().orElse(null) instanceof OptimizeTable) {
      return new StatementDescription(true, TableCompaction.RESULT, EMPTY);
    }
    if (statement.command().orElse(null) instanceof HousekeepingCommand) {
      return new StatementDescription(true, Housekeeper.RESULT, EMPTY);
    }
    if (statement.command().isPresent()) {
      Schema schema = ReferenceCommands.resultSchema(referenceCommand(statement));
      return new StatementDescription(!schema.getFields().isEmpty(), schema, EMPTY);
    }
    Optional<TableWrite> write = statement.write();
    if (write.isPresent()) {
      refuseTimeTravelParameters(statement, write.get());
      try {
        return describeWrite(session, statement, write.get());
      } catch (EngineException e) {
        throw TextEdits.unplaced(e); // a write runs texts Tarn composed around the client's parts
      }
    }
    ResolvedReference head = enter(session);
    // Time-travel parameters have no values yet: their tables are described at their reference's head.
    Bound bound = bindQuery(describer, session, statement, head, PointsInTime.heads());
    String schema = session.engine().currentSchema();
    // The cache holds DuckDB's description of the bound text, which has no time-travel parameter;
    // they are put back at their places after, so a statement with them never shares an entry wrongly.
    StatementDescription engine = descriptions.describe(bound, schema, () -> {
      try (Pins pins = pin(bound.commits())) {
        session.engine().use(bound.defaultCatalog(), schema);
        return session.engine().describe(bound.sql());
      } catch (EngineException e) {
        throw bound.placed(e, statement.sql());
      }
    });
    return bound.timeTravel().describe(engine);
  }

  /**
   * Checks a statement that runs right away, as {@link #describe} would, without DuckDB's
   * description of the rows of a query: the query is bound, its reads allowed and judged, and its
   * rows announce their schema when they are read. Describing binds the query's plan, and so reads
   * the footer of every Parquet file it scans, once more before it runs: for a query sent once,
   * about as much work as running a short one (benchmarks/README.md, B2). Anything else is
   * described, and so is a query that may hold {@code ?} markers, whose count the run checks: one
   * with markers, or one left to DuckDB's dialect (Tarn's grammar did not count its markers).
   */
  public StatementDescription check(Session session, ParsedStatement statement) {
    boolean plainQuery = statement.kind() == StatementKind.QUERY && statement.command().isEmpty()
        && statement.write().isEmpty() && statement.parsedByCalcite() && statement.parameterMarkers() == 0;
    if (!plainQuery) {
      return describe(session, statement);
    }
    bindQuery(describer, session, statement, enter(session), PointsInTime.heads());
    return StatementDescription.rowsAnnounceTheirSchema();
  }

  /**
   * A query bound to views and judged by DuckDB's reading ({@link QueryCheck}); {@code EXPLAIN
   * [ANALYZE]} is Tarn's prefix to the query it explains, bound and judged the same way.
   */
  private Bound bindQuery(ReadBinder readBinder, Session session, ParsedStatement statement, ResolvedReference head,
      PointsInTime points) {
    String schema = session.engine().currentSchema();
    SessionTemporaries temporaries = SessionTemporaries.of(session.engine());
    Predicate<String> readable = reference -> access.may(session.user(), Privilege.READ, reference);
    Optional<Explain> explain = frontend.explain(statement.sql());
    if (explain.isPresent()) {
      ParsedStatement explained = frontend.parse(explain.get().statement());
      if (explained.kind() != StatementKind.QUERY || frontend.explain(explained.sql()).isPresent()) {
        throw new EngineException(EngineException.Reason.INVALID,
            "EXPLAIN works on queries (SELECT, VALUES, WITH ...); lakehouse writes and Tarn's commands run"
                + " through Tarn, not the engine's planner");
      }
      Bound inner = bindOrCount(readBinder, session, explained, head, schema, temporaries, points, readable);
      access.requireRead(session.user(), readsOf(explained, inner, head, session.engine()));
      int clientPrefix = statement.sql().length() - explain.get().statement().length();
      check(session, inner.afterPrefix("", clientPrefix), statement);
      return inner.afterPrefix("EXPLAIN " + (explain.get().analyze() ? "ANALYZE " : ""), clientPrefix);
    }
    Bound bound = bindOrCount(readBinder, session, statement, head, schema, temporaries, points, readable);
    access.requireRead(session.user(), readsOf(statement, bound, head, session.engine()));
    check(session, bound, statement);
    return bound;
  }

  /** A whole-table count answered from the table's manifests ({@link MetadataCounts}), or the query bound to views. */
  private Bound bindOrCount(ReadBinder readBinder, Session session, ParsedStatement statement, ResolvedReference head,
      String schema, SessionTemporaries temporaries, PointsInTime points, Predicate<String> readable) {
    return counts.answer(statement, session.engine()::read, session.reference(), head, schema, temporaries, readable,
            reads -> access.requireRead(session.user(), reads))
        .orElseGet(() -> readBinder.bind(statement, session.reference(), head, schema, temporaries, points, readable,
            at -> access.requireRead(session.user(), at)));
  }

  /** DuckDB's judgement of a bound query ({@link QueryCheck}), its errors placed in the statement's text. */
  private static void check(Session session, Bound bound, ParsedStatement statement) {
    try {
      QueryCheck.check(session.engine(), bound.sql(), bound.commits(), bound.scanFiles());
    } catch (EngineException e) {
      throw bound.placed(e, statement.sql());
    }
  }

  /**
   * The commits a bound query reads, each of which needs READ: all of them, the session's reference
   * included; only a query Tarn parsed and saw name no table at all ({@code SELECT 1}) reads none.
   */
  private static List<ResolvedReference> readsOf(ParsedStatement statement, Bound bound, ResolvedReference head,
      EngineSession engine) {
    if (LISTINGS.contains(statement.leadingKeyword())) {
      // SHOW TABLES, DESCRIBE, SUMMARIZE... list or read the session's reference even when they name no table
      List<ResolvedReference> reads = new ArrayList<>(bound.commits());
      reads.add(head);
      return reads;
    }
    if (statement.parsedByCalcite() && statement.tables().isEmpty()) {
      // Tarn saw no table, so DuckDB's own reading decides: a name only DuckDB sees (in a text the two
      // read apart, or a common table expression) resolves in the session's commit, and a SHOW inside
      // a query lists it; both need READ
      EngineReading reading = engine.read(bound.sql());
      return reading.tables().isEmpty() && reading.shows().isEmpty() ? List.of() : bound.commits();
    }
    return bound.commits();
  }

  /** Leading keywords of queries that show the session's reference itself: they need READ on it. */
  private static final java.util.Set<String> LISTINGS = java.util.Set.of("SHOW", "DESCRIBE", "DESC", "SUMMARIZE");

  /**
   * A write reads its sources at points written in its text ({@link WriteComposer} binds them with no
   * values): a time-travel parameter there is refused when the statement is prepared, not when it runs.
   */
  private void refuseTimeTravelParameters(ParsedStatement statement, TableWrite write) {
    List<PointInTimeParameter> parameters = new ArrayList<>(statement.pointInTimeParameters());
    Optional<dev.tarn.sql.write.SqlSpan> query = write instanceof dev.tarn.sql.write.CreateTable create
        ? create.asQuery()
        : write instanceof dev.tarn.sql.write.CreateView view ? Optional.of(view.asQuery()) : Optional.empty();
    if (parameters.isEmpty() && query.isPresent()) {
      parameters.addAll(frontend.parse(query.get().text(statement.sql())).pointInTimeParameters());
    }
    parameters.stream().findFirst().ifPresent(PointsInTime.refused()::at);
  }

  /** Row writes take parameters ({@code INSERT ... VALUES (?, ?)}): describe them against an empty scratch table. */
  private StatementDescription describeWrite(Session session, ParsedStatement statement, TableWrite write) {
    if (!(write instanceof RowWrite rows)) {
      return new StatementDescription(false, EMPTY, EMPTY);
    }
    // Only bound values need DuckDB's description, against a scratch table: a write without markers
    // (most one-row INSERTs) returns nothing and takes nothing. Its target is still resolved and its
    // rows' query bound here, so a missing table or reference, or a missing READ, is refused as before.
    boolean takesValues = frontend.mayTakeParameters(statement.sql());
    Optional<InsertInto.ConstantRow> constantRow = constantRow(write, session);
    ResolvedReference head = constantRow.isPresent() ? resolve(session) : enter(session);
    TableWrites.Context context = new TableWrites.Context(session.engine(), session.reference(),
        session.engine().currentSchema(), session.user(), null, List.of());
    Optional<String> temporary = TemporaryTables.existingName(rows.target(), session.engine());
    if (temporary.isPresent()) {
      WriteComposer.Composed composed = describedWrites.rows(statement, rows, temporary.get(), context, head,
          Optional.empty());
      session.engine().useCatalog(composed.defaultCatalog());
      return new StatementDescription(false, EMPTY, session.engine().describe(composed.sql()).parameterSchema());
    }
    // the target as running the write finds it: WRITE, then READ on its branch, then the table
    TableWrites.Target target = writes.existingTarget(rows.target(), context);
    if (constantRow.isPresent()) {
      // a row of constants names nothing: judged as a query, with no commit's catalog entered
      describedWrites.constantRow(constantRow.get(), context, head);
      return new StatementDescription(false, EMPTY, EMPTY);
    }
    if (!takesValues) {
      // the rows' query is bound and judged as before (READ on what it reads), never run
      describedWrites.rows(statement, rows, "tarn_described_only", context, head, Optional.empty());
      return new StatementDescription(false, EMPTY, EMPTY);
    }
    Table table = catalog.loadTable(TableResolver.pinned(target.branch()), target.id());
    return session.engine().withConnection(c -> {
      try (ScratchTable scratch = ScratchTable.create(c, target.id().name(), table.schema())) {
        if (rows instanceof InsertInto insert && insert.onConflict().isPresent()) {
          // the key holds for this statement only: DuckDB describes ON CONFLICT against an index
          TableWrites.indexKey(c, scratch, table, insert.onConflict().get().columns());
        }
        WriteComposer.Composed composed = describedWrites.rows(statement, rows, scratch.name(), context, head,
            Optional.empty());
        session.engine().useCatalog(composed.defaultCatalog());
        StatementDescription d = session.engine().describe(composed.sql());
        return new StatementDescription(false, EMPTY, d.parameterSchema());
      }
    });
  }

  /** Runs a statement for a session; the caller closes a returned row stream. */
  public ExecutionResult run(Session session, ParsedStatement statement, List<Object> parameters,
      BufferAllocator allocator, Consumer<Execution> onStart) {
    if (statement.command().orElse(null) instanceof OptimizeTable optimize) {
      return new CommandRows(optimize(session, statement, optimize, allocator), allocator);
    }
    if (statement.command().orElse(null) instanceof HousekeepingCommand housekeeping) {
      if (session.transaction().isPresent()) {
        throw new CatalogException(housekeeping.statementName() + " is not allowed inside a transaction; COMMIT"
            + " or ROLLBACK first");
      }
      return new CommandRows(housekeeper.execute(housekeeping, session.user()), allocator);
    }
    if (statement.command().isPresent()) {
      ReferenceCommand command = referenceCommand(statement);
      if (session.transaction().isPresent() && !ReferenceCommands.isReadOnly(command)) {
        throw new CatalogException(command.statementName()
            + " is not allowed inside a transaction; COMMIT or ROLLBACK first");
      }
      CommandResult result = commands.execute(command, session.reference(), session.user(), session::use);
      if (!result.returnsRows()) {
        return new UpdateCount(0);
      }
      return new CommandRows(result, allocator);
    }
    Optional<TableWrite> write = statement.write();
    if (write.isPresent()) {
      boolean namesNothing = constantRow(write.get(), session).isPresent();
      ResolvedReference head = namesNothing ? resolve(session) : enter(session);
      TableWrites.Context context = new TableWrites.Context(session.engine(), session.reference(),
          session.engine().currentSchema(), session.user(), allocator, parameters);
      try (Pins pins = pin(namesNothing ? List.of() : List.of(head))) {
        UpdateCount count = new UpdateCount(writes.execute(statement, write.get(), context));
        session.recordInTransaction(statement.sql());
        return count;
      } catch (EngineException e) {
        throw TextEdits.unplaced(e); // a write runs texts Tarn composed around the client's parts
      }
    }
    ResolvedReference head = enter(session);
    Bound bound = bindQuery(binder, session, statement, head, PointsInTime.values(parameters));
    Pins pins = pin(bound.commits());
    try {
      session.engine().use(bound.defaultCatalog(), session.engine().currentSchema());
      Execution execution = session.engine().newExecution(bound.sql(), bound.timeTravel().engineValues(parameters),
          allocator);
      onStart.accept(execution);
      ExecutionResult result = execution.run();
      if (result instanceof RowStream rows && frontend.explain(statement.sql()).isPresent()) {
        try (pins) {
          return plans.neutral(rows, allocator);
        }
      }
      if (result instanceof RowStream rows) {
        return new PinnedRows(rows, List.of(pins), e -> bound.placed(e, statement.sql()));
      }
      pins.close();
      return result;
    } catch (EngineException e) {
      pins.close();
      throw bound.placed(e, statement.sql());
    } catch (RuntimeException e) {
      pins.close();
      throw e;
    }
  }

  /**
   * {@code OPTIMIZE TABLE}: a write like any other (WRITE on an unprotected branch, never a tag), so
   * it works on the branch's head. Inside a transaction it is refused: compacting the transaction's
   * private branch would only make the COMMIT's merge conflict with anything that touched the table.
   */
  private CommandResult optimize(Session session, ParsedStatement statement, OptimizeTable optimize,
      BufferAllocator allocator) {
    if (session.transaction().isPresent()) {
      throw new CatalogException(optimize.statementName() + " is not allowed inside a transaction; COMMIT or"
          + " ROLLBACK first");
    }
    ResolvedReference head = enter(session);
    TableWrites.Context context = new TableWrites.Context(session.engine(), session.reference(),
        session.engine().currentSchema(), session.user(), allocator, List.of());
    try (Pins pins = pin(List.of(head))) {
      return compaction.optimize(optimize, statement.sql(), context);
    }
  }

  /** Bulk ingest: appends (or creates, replaces) a table from an Arrow stream as one commit. */
  public long ingest(Session session, IngestRequest request, org.apache.arrow.vector.ipc.ArrowReader data,
      BufferAllocator allocator) {
    ResolvedReference head = enter(session);
    TableWrites.Context context = new TableWrites.Context(session.engine(), session.reference(),
        session.engine().currentSchema(), session.user(), allocator, List.of());
    try (Pins pins = pin(List.of(head))) {
      return writes.ingest(request, data, context);
    }
  }

  /** {@code USE schema}: the schema must exist on the session's reference. */
  public void useSchema(Session session, String schema) {
    ResolvedReference head = catalog.resolve(session.reference().at());
    access.requireRead(session.user(), head);
    if (!catalog.namespaceExists(TableResolver.pinned(head), schema)) {
      throw new NamespaceNotFoundException(schema, head.describe());
    }
    session.engine().use(views.ensureNamespaces(head), schema);
  }

  /**
   * Resolves the session's reference to the commit this statement works on and points the
   * session's engine at that commit's catalog. A schema that no longer exists there (dropped, or
   * absent on the branch the session moved to) gives way to the default schema.
   */
  private ResolvedReference enter(Session session) {
    ResolvedReference head = catalog.resolve(session.reference().at());
    String lake = views.ensureNamespaces(head);
    String schema = session.engine().currentSchema();
    if (!views.namespaceExists(head, schema)) {
      schema = BranchCatalog.DEFAULT_NAMESPACE;
    }
    session.engine().moveTo(lake, schema); // both exist: the catalog was just ensured, the schema checked
    return head;
  }

  /**
   * The row of a write whose text names nothing the commit's catalog holds (an INSERT of one row of
   * constants into a lakehouse table), so that it runs without entering that catalog.
   */
  private static Optional<InsertInto.ConstantRow> constantRow(TableWrite write, Session session) {
    if (write instanceof InsertInto insert && !SessionTemporaries.of(session.engine()).namesTemporary(insert.target())) {
      return ConstantRows.of(insert, session.engine());
    }
    return Optional.empty();
  }

  /**
   * The commit this statement works on, for a statement whose text needs no view of it: like
   * {@link #enter}, without attaching the commit's catalog, unless the session's schema is gone
   * there and the session must move to the default schema.
   */
  private ResolvedReference resolve(Session session) {
    ResolvedReference head = catalog.resolve(session.reference().at());
    return views.namespaceExists(head, session.engine().currentSchema()) ? head : enter(session);
  }

  private static ReferenceCommand referenceCommand(ParsedStatement statement) {
    if (statement.command().orElseThrow() instanceof ReferenceCommand command) {
      return command;
    }
    // pipeline commands are answered by the pipeline service before statements reach the lakehouse
    throw new IllegalStateException(statement.command().get().statementName() + " reached the lakehouse");
  }

  /** Pins on commit catalogs, released together. */
  private final class Pins implements AutoCloseable {
    private final List<AutoCloseable> held = new ArrayList<>();

    @Override
    public void close() {
      closeAll(held);
      held.clear();
    }
  }

  private Pins pin(List<ResolvedReference> commits) {
    Pins pins = new Pins();
    for (ResolvedReference commit : commits) {
      pins.held.add(views.pin(commit));
    }
    return pins;
  }

  static void closeAll(List<AutoCloseable> closeables) {
    for (AutoCloseable c : closeables) {
      try {
        c.close();
      } catch (Exception ignored) {
        // releasing a pin cannot meaningfully fail
      }
    }
  }

  @Override
  public void close() {
    views.close();
    catalog.close();
  }
}
