package dev.tarn.executor.lakehouse;

import dev.tarn.catalog.At;
import dev.tarn.catalog.BranchCatalog;
import dev.tarn.catalog.ResolvedReference;
import dev.tarn.catalog.TableEntry;
import dev.tarn.catalog.TableId;
import dev.tarn.catalog.iceberg.CallingThreadExecutor;
import dev.tarn.executor.DuckDbEngine;
import dev.tarn.executor.EngineException;
import dev.tarn.executor.EngineException.Reason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableScan;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.TypeUtil;
import org.apache.iceberg.types.Types;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes lakehouse tables readable by every session's DuckDB connection: per commit, an attached
 * in-memory DuckDB catalog {@code lake_<first 16 hex of the hash>} with one schema per namespace and
 * one view per table over the table's data files at that commit ({@code read_parquet} by Iceberg
 * field id, columns under their current names, NULL for columns older files lack).
 *
 * <p>Commits are immutable, so a view never changes once created: catalogs, schemas and views are
 * created lazily on first use and kept. At most {@code maxCatalogs} commit catalogs stay attached;
 * beyond that the least recently used one that no statement has {@linkplain #pin pinned} is
 * detached (and re-created if needed again). Hold a {@link Pin} for the duration of a statement
 * that reads a commit's views.
 *
 * <p>Thread-safe; one instance per engine. Attached catalogs are visible to all connections of the
 * engine. Client SQL must not be allowed to write into {@code lake_*} catalogs (the SQL front end
 * refuses DDL/DML on them).
 */
public final class LakehouseViews implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LakehouseViews.class);
  public static final String CATALOG_PREFIX = "lake_";
  public static final int DEFAULT_MAX_CATALOGS = 32;

  private final BranchCatalog catalog;
  private final CommitTables tables;
  private final DataFileStore files;
  private final Connection connection;
  private final int maxCatalogs;
  private final BufferAllocator allocator = new RootAllocator(64L << 20);
  /** Access-ordered: the first entry is the least recently used. Guarded by {@code this}. */
  private final LinkedHashMap<String, CommitCatalog> attached = new LinkedHashMap<>(16, 0.75f, true);
  private boolean closed;

  /** What one attached commit catalog already holds. */
  private static final class CommitCatalog {
    final String name;
    final Set<String> schemas = ConcurrentHashMap.newKeySet();
    final Map<TableId, String> views = new ConcurrentHashMap<>();
    boolean allNamespaces;
    boolean allViews;
    /** Whether {@link #listingName} is attached: the commit's table names, without their files. */
    boolean nameListing;
    int pins;

    CommitCatalog(String name) {
      this.name = name;
    }

    String listingName() {
      return name + "_names";
    }

    /** The DuckDB catalogs this commit has attached. */
    List<String> catalogs() {
      return nameListing ? List.of(name, listingName()) : List.of(name);
    }
  }

  public LakehouseViews(DuckDbEngine engine, BranchCatalog catalog) {
    this(engine, catalog, DataFileStore.local(), DEFAULT_MAX_CATALOGS);
  }

  public LakehouseViews(DuckDbEngine engine, BranchCatalog catalog, int maxCatalogs) {
    this(engine, catalog, DataFileStore.local(), maxCatalogs);
  }

  /**
   * @param files where DuckDB finds the data files' bytes: the warehouse folder itself, or local
   *     copies of object-store files
   */
  public LakehouseViews(DuckDbEngine engine, BranchCatalog catalog, DataFileStore files) {
    this(engine, catalog, files, DEFAULT_MAX_CATALOGS);
  }

  public LakehouseViews(DuckDbEngine engine, BranchCatalog catalog, DataFileStore files, int maxCatalogs) {
    if (maxCatalogs < 1) {
      throw new IllegalArgumentException("maxCatalogs must be positive");
    }
    this.catalog = catalog;
    this.tables = new CommitTables(catalog);
    this.files = files;
    this.connection = engine.openInternalConnection();
    this.maxCatalogs = maxCatalogs;
  }

  /** The DuckDB catalog name that holds the views of a commit: {@code lake_<16 hex>}. */
  public static String catalogName(String commitHash) {
    return CATALOG_PREFIX + commitHash.substring(0, Math.min(16, commitHash.length())).toLowerCase(java.util.Locale.ROOT);
  }

  /** Keeps a commit's catalog attached until the pin is closed. */
  public final class Pin implements AutoCloseable {
    private final String hash;
    private boolean released;

    private Pin(String hash) {
      this.hash = hash;
    }

    /** The attached catalog's name, e.g. {@code lake_0123abcd4567ef01} (unquoted). */
    public String catalogName() {
      return LakehouseViews.catalogName(hash);
    }

    @Override
    public void close() {
      synchronized (LakehouseViews.this) {
        if (released) {
          return;
        }
        released = true;
        CommitCatalog c = attached.get(hash);
        if (c != null) {
          c.pins--;
        }
        evict();
      }
    }
  }

  /**
   * Attaches the commit's catalog (if needed) and keeps it attached until the returned pin is
   * closed, so a running statement never loses its views.
   */
  public Pin pin(ResolvedReference at) {
    synchronized (this) {
      CommitCatalog c = attach(at.hash());
      c.pins++;
      return new Pin(at.hash());
    }
  }

  /**
   * The quoted three-part name of the view of {@code table} at {@code at}, creating it on first
   * use, e.g. {@code "lake_0123abcd4567ef01"."sales"."transactions"}.
   *
   * @throws dev.tarn.catalog.TableNotFoundException if the table does not exist at that commit
   */
  public String ensureView(ResolvedReference at, TableId table) {
    String known = knownView(at, table);
    if (known != null) {
      return known;
    }
    Table t = tables.table(at.hash(), table);
    return createView(at, table, t, localDataFiles(at, t, table, null));
  }

  /** The view of {@code table} at {@code at} if it was made already, else null. */
  private synchronized String knownView(ResolvedReference at, TableId table) {
    return attach(at.hash()).views.get(table);
  }

  /** Makes the view of {@code table} at {@code at} over {@code local}, its files' local paths, unless another did. */
  private String createView(ResolvedReference at, TableId table, Table t, PlannedFiles local) {
    FileRead read = fileRead(t, local);
    synchronized (this) {
      CommitCatalog c = attach(at.hash());
      String known = c.views.get(table);
      if (known != null) {
        return known;
      }
      ensureSchema(c, table.namespace());
      String name = Sql.qualified(c.name, table.namespace(), table.name());
      String create = "CREATE OR REPLACE VIEW " + name + " AS ";
      try {
        execute(create + selectSql(t.schema(), local.files(), read));
      } catch (EngineException unreadableFooter) {
        if (read != FileRead.BY_NAME_COUNTING_EVERY_FILE) {
          throw unreadable(table, at, local.files(), unreadableFooter);
        }
        // Reading every footer, DuckDB fails the view itself on one broken file, and with it every
        // statement that names the table, listings included; read by name, only the statements
        // that scan the file fail, as they did before reads counted every file.
        try {
          execute(create + selectSql(t.schema(), local.files(), FileRead.BY_NAME));
        } catch (EngineException firstFileBroken) {
          throw unreadable(table, at, local.files(), firstFileBroken);
        }
      }
      c.views.put(table, name);
      return name;
    }
  }

  /**
   * A view DuckDB could not create over the table's files (binding reads the first file's footer,
   * or every footer, so a broken file fails it): the table and commit named, DuckDB's words kept, and
   * each file named by its file name alone, so that neither the server's folders nor the engine's
   * own SQL reach the client.
   */
  private static EngineException unreadable(TableId table, ResolvedReference at, List<String> files,
      EngineException failed) {
    String duckDbSays = failed.getCause() instanceof java.sql.SQLException sql
        ? DataFileWriter.firstLine(sql.getMessage())
        : "the engine could not set up its view";
    for (String file : files) {
      duckDbSays = duckDbSays.replace(file, file.substring(file.lastIndexOf('/') + 1));
    }
    return new EngineException(Reason.INVALID, "table " + table.namespace() + "." + table.name()
        + " cannot be read at commit " + at.hash().substring(0, Math.min(12, at.hash().length())) + ": " + duckDbSays,
        failed);
  }

  /**
   * Creates the commit's catalog and a schema for every namespace at that commit, so that {@code
   * USE "lake_x"."sales"} works before any view exists. Returns the catalog's unquoted name.
   */
  public String ensureNamespaces(ResolvedReference at) {
    synchronized (this) {
      CommitCatalog c = attach(at.hash());
      if (c.allNamespaces) {
        return c.name;
      }
    }
    List<String> namespaces = catalog.listNamespaces(At.commit(at.hash()));
    synchronized (this) {
      CommitCatalog c = attach(at.hash());
      for (String ns : namespaces) {
        ensureSchema(c, ns);
      }
      c.allNamespaces = true;
      return c.name;
    }
  }

  /**
   * A catalog that lists the commit's tables and nothing more, for {@code SHOW TABLES [FROM s]}:
   * every namespace, and for every table a view of that name that reads no file and has no rows.
   * Listing through the commit's own catalog would first set up a view over every table's files,
   * fetching them from an object store and reading their footers, after every commit. Attached and
   * detached with the commit's catalog, so a statement's pin on the commit keeps it. Only DuckDB's
   * table listing may run with it as its default catalog: its views name tables, they hold no data.
   * Returns its unquoted name.
   */
  public String ensureNameListing(ResolvedReference at) {
    synchronized (this) {
      CommitCatalog c = attach(at.hash());
      if (c.nameListing) {
        return c.listingName();
      }
    }
    List<String> namespaces = catalog.listNamespaces(At.commit(at.hash()));
    List<TableEntry> entries = catalog.listTables(At.commit(at.hash()), null);
    synchronized (this) {
      CommitCatalog c = attach(at.hash());
      String name = c.listingName();
      if (c.nameListing) {
        return name;
      }
      StringBuilder sql = new StringBuilder("ATTACH IF NOT EXISTS ':memory:' AS " + Sql.ident(name) + ";\n");
      Set<String> schemas = new java.util.LinkedHashSet<>(namespaces);
      entries.forEach(e -> schemas.add(e.id().namespace()));
      for (String ns : schemas) {
        sql.append("CREATE SCHEMA IF NOT EXISTS ").append(Sql.ident(name)).append('.').append(Sql.ident(ns))
            .append(";\n");
      }
      for (TableEntry e : entries) {
        sql.append("CREATE OR REPLACE VIEW ").append(Sql.qualified(name, e.id().namespace(), e.id().name()))
            .append(" AS SELECT NULL AS listed_only WHERE false;\n");
      }
      try {
        execute(sql.toString());
      } catch (EngineException failed) {
        try {
          execute("DETACH DATABASE IF EXISTS " + Sql.ident(name));
        } catch (EngineException ignored) {
          // the next listing attaches it again with IF NOT EXISTS and replaces every view
        }
        throw failed;
      }
      c.nameListing = true;
      return name;
    }
  }

  /**
   * Every namespace and every table's view at the commit (for statements Tarn could not parse).
   * A table whose files Tarn refuses (another engine's metadata naming files outside the warehouse,
   * say) gets no view: the statement may not read it at all, and one such table must not fail every
   * statement on the commit. A statement naming it fails on the missing name; Tarn's own readers
   * of the table still get the refusal itself. The next such statement tries it again.
   */
  public String ensureAllViews(ResolvedReference at) {
    String name = ensureNamespaces(at);
    synchronized (this) {
      if (attach(at.hash()).allViews) {
        return name;
      }
    }
    boolean every = true;
    for (TableEntry e : catalog.listTables(At.commit(at.hash()), null)) {
      try {
        ensureView(at, e.id());
      } catch (EngineException refused) {
        LOG.warn("no view of {} at {}: {}", e.id(), at.hash(), refused.getMessage());
        every = false;
      }
    }
    if (every) {
      synchronized (this) {
        attach(at.hash()).allViews = true;
      }
    }
    return name;
  }

  /**
   * A scan of {@code table} at {@code at} restricted by an Iceberg filter: the data files Iceberg's
   * metadata cannot rule out, and a DuckDB table expression (a parenthesized {@code SELECT}) over
   * exactly those files, with the requested columns (all when {@code columns} is null or empty) in
   * the table's column order. Rows are not filtered here; the query's own WHERE still applies.
   */
  public BoundScan bindScan(ResolvedReference at, TableId table, Expression filter, List<String> columns) {
    Table t = tables.table(at.hash(), table);
    PlannedFiles local = localDataFiles(at, t, table, filter);
    Schema schema = t.schema();
    Schema projected = columns == null || columns.isEmpty() ? schema : schema.select(columns);
    // keep the table's order rather than the caller's
    List<Types.NestedField> ordered = new ArrayList<>();
    for (Types.NestedField f : schema.columns()) {
      if (projected.findField(f.fieldId()) != null) {
        ordered.add(f);
      }
    }
    Schema out = new Schema(ordered);
    return new BoundScan(local.files(), "(" + selectSql(out, local.files(), fileRead(t, local)) + ")", out);
  }

  /**
   * How a view reads the table's files: by column name when the table has had one schema only (its
   * files hold every column under its current name), else by field id; and by name with every
   * footer opened when DuckDB would otherwise misjudge the files' row count.
   */
  private static FileRead fileRead(Table table, PlannedFiles files) {
    if (table.schemas().size() != 1) {
      return FileRead.BY_FIELD_ID;
    }
    return files.countEveryFile() ? FileRead.BY_NAME_COUNTING_EVERY_FILE : FileRead.BY_NAME;
  }

  /** Whether the namespace exists at the commit, remembered across statements. */
  public boolean namespaceExists(ResolvedReference at, String namespace) {
    return tables.namespaceExists(at.hash(), namespace);
  }

  /** Whether the table exists at the commit, remembered across statements. */
  public boolean tableExists(ResolvedReference at, TableId table) {
    return tables.exists(at.hash(), table);
  }

  /**
   * The table as the commit has it, remembered across statements and across the commits that keep
   * its metadata file: it reads the same at each of them, only its name may tell another.
   */
  public Table table(ResolvedReference at, TableId table) {
    return tables.table(at.hash(), table);
  }

  /** The files a scan reads, named by their local paths. */
  private PlannedFiles localDataFiles(ResolvedReference at, Table t, TableId table, Expression filter) {
    PlannedFiles planned = tables.dataFiles(at.hash(), table, filter, loaded -> planned(loaded,
        tables.manifestFiles(loaded, filter).orElseGet(() -> scannedFiles(loaded, filter, table))));
    return planned.at(files.localPathsFor(planned.files()));
  }

  /**
   * The rows of the table at {@code at}, as its manifests record each data file's count, when they
   * tell it, without DuckDB opening a file. Every data file is looked up where a scan would read it,
   * on each call, and the table's view is made as a scan's binding makes it when there is none yet
   * (one look-up serves both), so that a table a scan cannot read (row-level delete files, a file
   * missing, not a regular file, or a first footer DuckDB refuses) fails here as the scan would.
   */
  public OptionalLong rowCount(ResolvedReference at, TableId table) {
    Table t = tables.table(at.hash(), table);
    PlannedFiles local = localDataFiles(at, t, table, null); // every time: a file may go missing later
    if (knownView(at, table) == null) {
      createView(at, table, t, local);
    }
    long rows = local.rows();
    return rows == PlannedFiles.UNKNOWN_ROWS ? OptionalLong.empty() : OptionalLong.of(rows);
  }

  /**
   * The result of {@link #bindScan}: {@code files} are the local paths DuckDB reads (map them
   * back to data file locations with {@link #files()}{@code .locationOf}).
   */
  public record BoundScan(List<String> files, String sql, Schema schema) {}

  /** Where DuckDB finds data files' bytes (the warehouse folder, or a local cache of object storage). */
  public DataFileStore files() {
    return files;
  }

  /** The Arrow schema DuckDB gives a table with this Iceberg schema (for Flight SQL GetTables). */
  public synchronized org.apache.arrow.vector.types.pojo.Schema arrowSchema(Schema schema) {
    return IcebergTypes.arrowSchema(connection, schema, allocator);
  }

  /** Commit catalogs attached right now (for tests and metrics). */
  public synchronized List<String> attachedCatalogs() {
    return attached.values().stream().map(c -> c.name).toList();
  }

  /**
   * The SQL of a view over these files: every column of {@code schema} in order, read by field id.
   * An empty table is a typed query returning no rows.
   */
  public static String selectSql(Schema schema, List<String> files) {
    return selectSql(schema, files, FileRead.BY_FIELD_ID, null);
  }

  /**
   * Like {@link #selectSql(Schema, List)}, with one more column, {@code fileIndexColumn}: the
   * position in {@code files} of each row's file (DuckDB's {@code file_index}, a UBIGINT). The
   * schema must not have a column named {@code file_index}, which would hide DuckDB's.
   */
  public static String selectSqlNumberingFiles(Schema schema, List<String> files, String fileIndexColumn) {
    if (files.isEmpty()) {
      throw new IllegalArgumentException("no files to number");
    }
    for (Types.NestedField f : schema.columns()) {
      if (f.name().equalsIgnoreCase("file_index") || f.name().equalsIgnoreCase(fileIndexColumn)) {
        throw new IllegalArgumentException("a column named " + f.name() + " would hide the files' numbers");
      }
    }
    return selectSql(schema, files, FileRead.BY_FIELD_ID, fileIndexColumn);
  }

  /** How a view's {@code read_parquet} finds the table's columns in its files. */
  private enum FileRead {
    /** Through a {@code schema} mapping by Iceberg field id: right for every table. */
    BY_FIELD_ID,
    /**
     * By column name. Only for a table whose schema never changed (one schema in its history),
     * where every data file holds every column under its current name: DuckDB keeps the files'
     * row-count statistics for plain reads but not for reads through a {@code schema} mapping, and
     * without them it orders joins blindly (benchmarks/README.md, B2). Each column of a primitive
     * type Tarn knows is cast to the table's type: files another engine wrote may store it
     * otherwise (INT32 for a {@code long}, text without its UTF-8 mark), and DuckDB drops the cast
     * where they agree.
     */
    BY_NAME,
    /**
     * Like {@link #BY_NAME}, with DuckDB opening every file's footer when it binds the read ({@code
     * union_by_name}), so that it knows their exact row count (see {@link
     * PlannedFiles#misleadRowEstimate}). Every file holds the table's columns under their names;
     * where files disagree on a column's type DuckDB would widen it, and the cast keeps the table's.
     */
    BY_NAME_COUNTING_EVERY_FILE
  }

  /** The SQL of a view over these files: every column of {@code schema} in order, read as {@code read} says. */
  private static String selectSql(Schema schema, List<String> files, FileRead read) {
    return selectSql(schema, files, read, null);
  }

  /** As above, with DuckDB's {@code file_index} as a last column named {@code fileIndexColumn} when not null. */
  private static String selectSql(Schema schema, List<String> files, FileRead read, String fileIndexColumn) {
    StringBuilder cols = new StringBuilder();
    for (Types.NestedField f : schema.columns()) {
      if (cols.length() > 0) {
        cols.append(", ");
      }
      String column = Sql.ident(f.name());
      if (files.isEmpty()) {
        cols.append("CAST(NULL AS ").append(IcebergTypes.toDuckDb(f.type())).append(") AS ").append(column);
        continue;
      }
      Optional<String> castTo =
          read == FileRead.BY_FIELD_ID ? Optional.empty() : IcebergTypes.knownPrimitiveToDuckDb(f.type());
      cols.append(castTo.map(type -> "CAST(" + column + " AS " + type + ") AS " + column).orElse(column));
    }
    if (files.isEmpty()) {
      return "SELECT " + cols + " LIMIT 0";
    }
    if (fileIndexColumn != null) {
      cols.append(cols.length() > 0 ? ", " : "").append("file_index AS ").append(Sql.ident(fileIndexColumn));
    }
    if (read != FileRead.BY_FIELD_ID) {
      // Iceberg paths look like hive partitions (country=IT/); values come from the files only
      return "SELECT " + cols + " FROM read_parquet(" + Sql.stringList(files) + ", hive_partitioning = false"
          + (read == FileRead.BY_NAME_COUNTING_EVERY_FILE ? ", union_by_name = true)" : ")");
    }
    return "SELECT " + cols + " FROM read_parquet(" + Sql.stringList(files) + ", schema = "
        + IcebergTypes.readSchemaOption(schema) + ")";
  }


  /**
   * The local paths of the table's current data files (those a filter keeps, when given), in
   * planning order, for a table in a warehouse folder.
   */
  public static List<String> dataFiles(Table table, Expression filter, TableId id) {
    return dataFiles(table, filter, id, DataFileStore.local());
  }

  /**
   * The local paths, through {@code store}, of the table's current data files (those a filter
   * keeps, when given), in planning order; files not on this machine yet are fetched first.
   */
  public static List<String> dataFiles(Table table, Expression filter, TableId id, DataFileStore store) {
    return store.localPathsFor(plan(table, filter, id).files());
  }

  /**
   * Data files in the order their rows were committed, so a plain scan returns rows in insertion
   * order as DuckDB's own tables do: by data sequence number (the commit that wrote the rows; a
   * rewrite keeps the number of the file it replaces, {@code ChangeApplier}), then by the file's
   * place in its commit. Iceberg plans the newest manifest first, which read four one-row INSERTs
   * back as 4, 1, 2, 3 — no order a user could predict.
   */
  static final Comparator<DataFile> COMMIT_ORDER = Comparator
      .comparing((DataFile f) -> f.dataSequenceNumber() == null ? Long.MAX_VALUE : f.dataSequenceNumber())
      .thenComparing(f -> f.pos() == null ? Long.MAX_VALUE : f.pos());

  /** The table's current data files that a filter (null: none) keeps, in commit order. */
  private static PlannedFiles plan(Table table, Expression filter, TableId id) {
    return planned(table, scannedFiles(table, filter, id));
  }

  /** These data files of the table in commit order, with what DuckDB needs to know of them. */
  private static PlannedFiles planned(Table table, List<DataFile> files) {
    List<DataFile> ordered = new ArrayList<>(files);
    ordered.sort(COMMIT_ORDER);
    List<Long> rowCounts = ordered.stream().map(DataFile::recordCount).toList();
    return new PlannedFiles(ordered.stream().map(DataFile::location).toList(), PlannedFiles.misleadRowEstimate(
        rowCounts, TypeUtil.indexById(table.schema().asStruct()).size()), PlannedFiles.total(rowCounts));
  }

  /** The data files Iceberg's own scan of the table plans for a filter (null: none). */
  private static List<DataFile> scannedFiles(Table table, Expression filter, TableId id) {
    if (table.currentSnapshot() == null) {
      return List.of();
    }
    // Plan on the calling thread: Iceberg's worker pool polls for completion every 10 ms, which
    // dominated small reads (see benchmarks/README.md, B3).
    TableScan scan = table.newScan().planWith(CallingThreadExecutor.INSTANCE);
    if (filter != null) {
      scan = scan.filter(filter);
    }
    List<DataFile> files = new ArrayList<>();
    try (CloseableIterable<FileScanTask> tasks = scan.planFiles()) {
      for (FileScanTask task : tasks) {
        if (!task.deletes().isEmpty()) {
          throw new EngineException(Reason.INVALID, "table " + id
              + " has row-level delete files (written by another engine); Tarn cannot read them yet");
        }
        files.add(task.file());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }

  // ---- guarded by this ----

  private CommitCatalog attach(String hash) {
    if (closed) {
      throw new EngineException(Reason.INVALID, "the engine is shutting down");
    }
    CommitCatalog c = attached.get(hash);
    if (c != null) {
      return c;
    }
    c = new CommitCatalog(catalogName(hash));
    execute("ATTACH IF NOT EXISTS ':memory:' AS " + Sql.ident(c.name));
    attached.put(hash, c);
    evict();
    return c;
  }

  private void ensureSchema(CommitCatalog c, String namespace) {
    if (c.schemas.add(namespace)) {
      execute("CREATE SCHEMA IF NOT EXISTS " + Sql.ident(c.name) + "." + Sql.ident(namespace));
    }
  }

  /**
   * Forgets the tables, scan plans and unpinned commit catalogs remembered so far: after housekeeping
   * removed files, a commit that lost its files is read again from the catalog, which says so,
   * instead of from memory. Statements running now keep their pinned catalogs.
   */
  public synchronized void forgetRemembered() {
    tables.clear();
    Iterator<Map.Entry<String, CommitCatalog>> it = attached.entrySet().iterator();
    Set<String> detached = new HashSet<>();
    while (it.hasNext()) {
      Map.Entry<String, CommitCatalog> e = it.next();
      if (e.getValue().pins == 0) {
        detached.addAll(e.getValue().catalogs());
        it.remove();
      }
    }
    for (String name : detached) {
      execute("DETACH DATABASE IF EXISTS " + Sql.ident(name));
    }
  }

  /** Detaches least recently used, unpinned catalogs beyond the limit. */
  private void evict() {
    Iterator<Map.Entry<String, CommitCatalog>> it = attached.entrySet().iterator();
    int excess = attached.size() - maxCatalogs;
    Set<String> detached = new HashSet<>();
    while (excess > 0 && it.hasNext()) {
      Map.Entry<String, CommitCatalog> e = it.next();
      if (e.getValue().pins > 0) {
        continue;
      }
      detached.addAll(e.getValue().catalogs());
      it.remove();
      excess--;
    }
    for (String name : detached) {
      execute("DETACH DATABASE IF EXISTS " + Sql.ident(name));
    }
  }

  private void execute(String sql) {
    try (Statement s = connection.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new EngineException(Reason.INVALID, "lakehouse view setup failed: "
          + DataFileWriter.firstLine(e.getMessage()) + " (in: " + abbreviate(sql) + ")", e);
    }
  }

  private static String abbreviate(String sql) {
    return sql.length() <= 300 ? sql : sql.substring(0, 300) + "...";
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (CommitCatalog c : attached.values()) {
      for (String name : c.catalogs()) {
        try (Statement s = connection.createStatement()) {
          s.execute("DETACH DATABASE IF EXISTS " + Sql.ident(name));
        } catch (SQLException ignored) {
          // the engine is closing anyway
        }
      }
    }
    attached.clear();
    try {
      connection.close();
    } catch (SQLException ignored) {
      // nothing left to release
    }
    allocator.close();
  }
}
