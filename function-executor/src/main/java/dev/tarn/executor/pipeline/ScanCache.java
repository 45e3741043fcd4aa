package dev.tarn.executor.pipeline;

import dev.tarn.executor.DuckDbEngine;
import dev.tarn.executor.EngineException;
import dev.tarn.executor.EngineException.Reason;
import dev.tarn.executor.lakehouse.IcebergTypes;
import dev.tarn.executor.lakehouse.LakehouseViews;
import dev.tarn.executor.lakehouse.Sql;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Types;

/**
 * The differential scan cache: the columns of data files that pipeline scans have read, kept in
 * memory so that a later scan overlapping an earlier one (the same files, a subset of the columns)
 * does not read Parquet again. One per server, shared by all runs.
 *
 * <p><b>The unit is a data file.</b> Data files are immutable and their locations unique, so a file's
 * rows never change; a snapshot is just a list of files. A fragment holds every row of one file
 * with the columns read so far, each as the Iceberg field id and DuckDB type it was read with
 * (reading by field id, as {@link LakehouseViews#selectSql} does, is what makes a renamed column
 * the same column and a column the file predates NULL). A scan takes each of the files its snapshot's
 * plan keeps from the cache when the fragment there has all the columns it needs with the same
 * types, and reads the others from Parquet into new fragments; a fragment missing a column is
 * replaced by one with the union of the columns (the file is read once more, with all of them). So
 * a scan with narrower columns is served entirely from memory, and a wider date range reads only the
 * files it did not read before. Files a later commit removed are not in that commit's plan, so are
 * never read; their fragments age out.
 *
 * <p><b>Fragments are DuckDB in-memory tables</b> in an attached database {@value #DATABASE}, not
 * Arrow batches in Java. The consumers are DuckDB queries (the scan's view, SQL models, the Arrow
 * export to Python models), and DuckDB scans its own tables in parallel with zone maps for filters
 * and no conversion; a Java Arrow stream registered with {@code registerArrowStream} is read once,
 * single-threaded through the C stream interface, and a scan's view is read at least twice (its row
 * count, then its consumers). Filling a fragment is one {@code CREATE TABLE AS} from {@code read_parquet}.
 *
 * <p><b>Budget.</b> Fragments' sizes are estimated from their contents (fixed widths per type plus
 * the bytes of variable-length values, how DuckDB holds uncompressed in-memory tables). Beyond the
 * budget the least recently used fragments no run is reading are dropped; a file that does not
 * fit even then is read from Parquet as without the cache. The cache's tables count towards
 * DuckDB's memory limit. A budget of 0 turns the cache off.
 *
 * <p><b>Reads pin.</b> A run takes a {@link Lease}; every fragment its scans use stays pinned
 * (never dropped) until the lease closes at the end of the run, because the run's views read the
 * fragments' tables until then. Thread-safe: bookkeeping is guarded by this object, reading Parquet
 * happens outside the lock, each on its own connection; two runs missing the same file both read it
 * and the later one's fragment replaces the earlier one's once that is no longer pinned.
 *
 * <p>The cost: with the cache on, a scan reads its columns of its files when the scan step runs
 * instead of when a consumer reads the scan's view, and a scan without declared columns (the
 * inputs of SQL models) reads every column. Filling a fragment (reading the file into a table)
 * costs about three times reading it, and on a local warehouse DuckDB's Parquet reader is nearly as
 * fast as its own tables, so a hit saves little when the rows are then exported as Arrow
 * (benchmarks/README.md, B6): the cache pays where reading the files is slow.
 */
public final class ScanCache implements AutoCloseable {
  /** The default budget: 2 GiB, a small share of a 24 GiB machine's DuckDB memory limit. */
  public static final long DEFAULT_BUDGET_BYTES = 2L << 30;
  /** The attached DuckDB database holding the fragments. */
  static final String DATABASE = "tarn_scan_cache";
  private static final String COLUMN_PREFIX = "f_";
  /** Below this, a Parquet file's footer and headers can outweigh its data: its size says nothing. */
  private static final long SMALL_FILE_BYTES = 64 << 10;

  private final DuckDbEngine engine;
  private final long budgetBytes;
  private final Connection control;
  /** Reads files into new fragments, as many at once as there are cores. */
  private final ExecutorService fillers;
  /** Each data file's newest fragment, by location. */
  private final Map<String, Fragment> current = new HashMap<>();
  /** Every fragment still holding a table, least recently used first. */
  private final LinkedHashMap<String, Fragment> tables = new LinkedHashMap<>(16, 0.75f, true);
  private long usedBytes;
  private long nextTable;
  private long hits;
  private long misses;
  private boolean closed;

  /** One cached data file: a DuckDB table with all its rows and some of its columns. */
  private static final class Fragment {
    final String table;
    final String location;
    /** Field id to the DuckDB type the column was read as. */
    final Map<Integer, String> columns;
    final long bytes;
    int pins;
    /** Replaced by a wider fragment of the same file: dropped once unpinned. */
    boolean retired;

    Fragment(String table, String location, Map<Integer, String> columns, long bytes) {
      this.table = table;
      this.location = location;
      this.columns = Map.copyOf(columns);
      this.bytes = bytes;
    }

    boolean covers(Map<Integer, String> needed) {
      return needed.entrySet().stream().allMatch(e -> e.getValue().equals(columns.get(e.getKey())));
    }
  }

  /**
   * @param engine the engine the cache's database is attached to (the runs' engine)
   * @param budgetBytes the most the fragments may hold, estimated; 0 turns the cache off
   */
  public ScanCache(DuckDbEngine engine, long budgetBytes) {
    if (budgetBytes < 0) {
      throw new IllegalArgumentException("the scan cache budget must not be negative: " + budgetBytes);
    }
    this.budgetBytes = budgetBytes;
    if (budgetBytes == 0) {
      this.engine = null;
      this.control = null;
      this.fillers = null;
      return;
    }
    this.engine = engine;
    AtomicInteger threads = new AtomicInteger();
    this.fillers = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(), r -> {
      Thread t = new Thread(r, "tarn-scan-cache-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.control = engine.openInternalConnection();
    try {
      execute(control, "ATTACH IF NOT EXISTS ':memory:' AS " + Sql.ident(DATABASE));
    } catch (SQLException e) {
      closeQuietly(control);
      fillers.shutdown();
      throw new EngineException(Reason.INVALID, "cannot create the scan cache: " + e.getMessage(), e);
    }
  }

  /** A cache that holds nothing: every scan reads Parquet. */
  public static ScanCache off() {
    return new ScanCache(null, 0);
  }

  public boolean enabled() {
    return budgetBytes > 0;
  }

  public long budgetBytes() {
    return budgetBytes;
  }

  /** What the cache holds right now, and how often files were found in it. */
  public synchronized Stats stats() {
    return new Stats(tables.size(), usedBytes, budgetBytes, hits, misses);
  }

  /**
   * @param fragments tables held (a file may briefly have two while an older one is still read)
   * @param usedBytes their estimated size
   * @param hits data files scans took from the cache
   * @param misses data files scans read from Parquet
   */
  public record Stats(int fragments, long usedBytes, long budgetBytes, long hits, long misses) {}

  /**
   * A reader's use of the cache (a pipeline run's): what it reads stays cached until it is closed.
   * Close it only when nothing reads the SQL of its {@link Lease#read} results any more.
   */
  public Lease lease() {
    return new Lease();
  }

  /**
   * One scan served through the cache.
   *
   * @param sql a parenthesized query over the files: the requested columns under their names
   * @param fromCache files taken from the cache without reading Parquet
   */
  public record CachedScan(String sql, int fromCache) {}

  /** The fragments one run reads; closing it lets them be dropped again. Thread-safe. */
  public final class Lease implements AutoCloseable {
    private final List<Fragment> pinned = new ArrayList<>();
    private boolean released;

    boolean enabled() {
      return ScanCache.this.enabled();
    }

    /**
     * The rows of {@code files} with the columns of {@code read}, every file from the cache,
     * read into it first when it is not there yet (or from Parquet when it does not fit, or the
     * cache is off).
     *
     * @param files the local paths DuckDB reads, in planning order
     * @param locations each file's location (what identifies it), in the same order
     * @param tableSchema the table's schema at the scan's snapshot (for columns kept from older fragments)
     * @param read the columns to return, in order
     */
    public CachedScan read(List<String> files, List<String> locations, Schema tableSchema, Schema read) {
      if (files.isEmpty() || !enabled()) {
        return new CachedScan("(" + LakehouseViews.selectSql(read, files) + ")", 0);
      }
      Map<Integer, String> needed = typesOf(read);
      Fragment[] fragments = new Fragment[files.size()];
      List<Callable<Fragment>> fills = new ArrayList<>();
      List<Integer> filled = new ArrayList<>();
      int fromCache = 0;
      for (int i = 0; i < files.size(); i++) {
        Fill fill = find(locations.get(i), needed, tableSchema, this);
        if (fill.hit() != null) {
          fragments[i] = fill.hit();
          fromCache++;
        } else {
          String file = files.get(i);
          String location = locations.get(i);
          fills.add(() -> fillFrom(file, location, fill.columns(), this));
          filled.add(i);
        }
      }
      List<Fragment> fresh = fillAll(fills);
      for (int k = 0; k < filled.size(); k++) {
        fragments[filled.get(k)] = fresh.get(k);
      }
      List<String> parts = new ArrayList<>();
      List<String> uncached = new ArrayList<>();
      for (int i = 0; i < files.size(); i++) {
        if (fragments[i] == null) {
          uncached.add(files.get(i));
        } else {
          parts.add(selectFrom(fragments[i], read));
        }
      }
      if (!uncached.isEmpty()) {
        parts.add(LakehouseViews.selectSql(read, uncached));
      }
      return new CachedScan("(" + String.join("\nUNION ALL ", parts) + ")", fromCache);
    }

    @Override
    public void close() {
      synchronized (ScanCache.this) {
        if (released) {
          return;
        }
        released = true;
        for (Fragment f : pinned) {
          f.pins--;
          if (f.retired && f.pins == 0) {
            drop(f);
          }
        }
        pinned.clear();
      }
    }
  }

  /**
   * Reads files into fragments side by side: one small file is one DuckDB row group, which one
   * thread reads, so a scan missing many files would otherwise leave the other cores idle.
   */
  private List<Fragment> fillAll(List<Callable<Fragment>> fills) {
    if (fills.size() == 1) {
      try {
        return Collections.singletonList(fills.get(0).call());
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    List<Fragment> out = new ArrayList<>();
    try {
      for (Future<Fragment> f : fillers.invokeAll(fills)) {
        out.add(f.get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StepFailedException("the scan was interrupted while reading data files", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    }
    return out;
  }

  /** What a lookup found: a fragment to read (pinned), or the columns a new one should have. */
  private record Fill(Fragment hit, Schema columns) {}

  private synchronized Fill find(String location, Map<Integer, String> needed, Schema tableSchema, Lease lease) {
    checkOpen();
    Fragment f = current.get(location);
    if (f != null && f.covers(needed)) {
      tables.get(f.table); // most recently used now
      pin(f, lease);
      hits++;
      return new Fill(f, null);
    }
    misses++;
    // read what this scan needs plus what the cached fragment already had, so the new one covers both
    List<Types.NestedField> fields = new ArrayList<>();
    for (Types.NestedField field : tableSchema.columns()) {
      String type = IcebergTypes.toDuckDb(field.type());
      boolean wanted = needed.containsKey(field.fieldId())
          || (f != null && type.equals(f.columns.get(field.fieldId())));
      if (wanted) {
        fields.add(Types.NestedField.optional(field.fieldId(), COLUMN_PREFIX + field.fieldId(), field.type()));
      }
    }
    return new Fill(null, new Schema(fields));
  }

  /** Reads one data file into a new fragment; null when it does not fit in the budget. */
  private Fragment fillFrom(String file, String location, Schema columns, Lease lease) {
    long onDisk = onDiskBytes(file);
    if (onDisk > SMALL_FILE_BYTES && onDisk > room()) {
      // decompressed it would be larger still: reading it only to drop it would read it twice
      return null;
    }
    String table;
    synchronized (this) {
      checkOpen();
      table = "file_" + nextTable++;
    }
    String qualified = Sql.qualified(DATABASE, "main", table);
    long bytes;
    try (Connection c = engine.openInternalConnection()) {
      execute(c, "CREATE TABLE " + qualified + " AS " + LakehouseViews.selectSql(columns, List.of(file)));
      bytes = estimatedBytes(c, qualified, columns);
    } catch (SQLException e) {
      dropQuietly(qualified);
      throw new StepFailedException("reading data file " + location + " failed: " + EngineMessages.of(e.getMessage()),
          e);
    }
    Fragment fragment = new Fragment(table, location, typesOf(columns), bytes);
    if (!install(fragment, lease)) {
      dropQuietly(qualified);
      return null;
    }
    return fragment;
  }

  /** Makes room and adds a filled fragment, pinned for the lease; false when it does not fit. */
  private synchronized boolean install(Fragment fragment, Lease lease) {
    if (closed) {
      return false;
    }
    Iterator<Fragment> lru = tables.values().iterator();
    while (usedBytes + fragment.bytes > budgetBytes && lru.hasNext()) {
      Fragment old = lru.next();
      if (old.pins == 0) {
        lru.remove();
        forget(old);
      }
    }
    if (usedBytes + fragment.bytes > budgetBytes) {
      return false;
    }
    Fragment replaced = current.put(fragment.location, fragment);
    if (replaced != null) {
      replaced.retired = true;
      if (replaced.pins == 0) {
        drop(replaced);
      }
    }
    tables.put(fragment.table, fragment);
    usedBytes += fragment.bytes;
    pin(fragment, lease);
    return true;
  }

  /** What the fragments no run is reading leave of the budget. */
  private synchronized long room() {
    long pinned = 0;
    for (Fragment f : tables.values()) {
      pinned += f.pins > 0 ? f.bytes : 0;
    }
    return budgetBytes - pinned;
  }

  private void pin(Fragment f, Lease lease) {
    f.pins++;
    lease.pinned.add(f);
  }

  /** Drops a fragment's table (guarded by this). */
  private void drop(Fragment f) {
    if (tables.remove(f.table) != null) {
      forget(f);
    }
  }

  /** Drops the table of a fragment already removed from {@link #tables} (guarded by this). */
  private void forget(Fragment f) {
    usedBytes -= f.bytes;
    current.remove(f.location, f);
    try {
      execute(control, "DROP TABLE IF EXISTS " + Sql.qualified(DATABASE, "main", f.table));
    } catch (SQLException e) {
      throw new EngineException(Reason.INVALID, "the scan cache could not drop " + f.table + ": " + e.getMessage(), e);
    }
  }

  private void dropQuietly(String qualified) {
    synchronized (this) {
      if (closed) {
        return;
      }
      try {
        execute(control, "DROP TABLE IF EXISTS " + qualified);
      } catch (SQLException ignored) {
        // it was never counted; the database goes with the cache
      }
    }
  }

  private synchronized void checkOpen() {
    if (closed) {
      throw new EngineException(Reason.INVALID, "the engine is shutting down");
    }
  }

  /** A fragment's columns under the table's current names, in {@code read}'s order. */
  private static String selectFrom(Fragment fragment, Schema read) {
    String columns = read.columns().stream()
        .map(f -> Sql.ident(COLUMN_PREFIX + f.fieldId()) + " AS " + Sql.ident(f.name()))
        .collect(Collectors.joining(", "));
    return "SELECT " + columns + " FROM " + Sql.qualified(DATABASE, "main", fragment.table);
  }

  private static Map<Integer, String> typesOf(Schema schema) {
    Map<Integer, String> types = new LinkedHashMap<>();
    for (Types.NestedField f : schema.columns()) {
      types.put(f.fieldId(), IcebergTypes.toDuckDb(f.type()));
    }
    return types;
  }

  /**
   * How much memory a fragment's table takes, as DuckDB holds uncompressed in-memory tables: each
   * value's fixed width, plus the bytes of variable-length values (strings, blobs, nested values).
   */
  private static long estimatedBytes(Connection c, String table, Schema columns) throws SQLException {
    StringBuilder sql = new StringBuilder("SELECT count(*)");
    long rowWidth = 0;
    for (Types.NestedField f : columns.columns()) {
      String type = IcebergTypes.toDuckDb(f.type()).toUpperCase(Locale.ROOT);
      int width = fixedWidth(type);
      rowWidth += width;
      String column = Sql.ident(f.name());
      if (type.equals("VARCHAR")) {
        sql.append(", coalesce(sum(strlen(").append(column).append(")), 0)");
      } else if (type.equals("BLOB")) {
        sql.append(", coalesce(sum(octet_length(").append(column).append(")), 0)");
      } else if (width == 0) {
        rowWidth += 16;
        sql.append(", coalesce(sum(strlen(CAST(").append(column).append(" AS VARCHAR))), 0)");
      }
    }
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql + " FROM " + table)) {
      rs.next();
      long bytes = rs.getLong(1) * rowWidth;
      for (int i = 2; i <= rs.getMetaData().getColumnCount(); i++) {
        bytes += rs.getLong(i);
      }
      return Math.max(bytes, 1);
    }
  }

  /** Bytes a value of a DuckDB type takes in a table; 16 for strings and blobs, 0 for nested types. */
  private static int fixedWidth(String type) {
    if (type.startsWith("DECIMAL")) {
      int comma = type.indexOf(',');
      int precision = comma < 0 ? 18 : Integer.parseInt(type.substring(type.indexOf('(') + 1, comma).strip());
      return precision <= 18 ? 8 : 16;
    }
    return switch (type) {
      case "BOOLEAN", "TINYINT" -> 1;
      case "SMALLINT" -> 2;
      case "INTEGER", "FLOAT", "DATE" -> 4;
      case "BIGINT", "DOUBLE", "TIME", "TIMESTAMP", "TIMESTAMP WITH TIME ZONE", "TIMESTAMP_NS" -> 8;
      case "HUGEINT", "UUID", "INTERVAL", "VARCHAR", "BLOB" -> 16;
      default -> type.startsWith("VARCHAR") ? 16 : 0;
    };
  }

  private static long onDiskBytes(String file) {
    try {
      return Files.size(Path.of(file));
    } catch (IOException | RuntimeException e) {
      return 0; // unknown: try, and measure what was read
    }
  }

  private static void execute(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException ignored) {
      // nothing left to release
    }
  }

  /** Detaches the cache's database, freeing every fragment. Runs still using it must be finished. */
  @Override
  public synchronized void close() {
    if (closed || control == null) {
      closed = true;
      return;
    }
    closed = true;
    fillers.shutdownNow();
    current.clear();
    tables.clear();
    usedBytes = 0;
    try {
      execute(control, "DETACH DATABASE IF EXISTS " + Sql.ident(DATABASE));
    } catch (SQLException ignored) {
      // the engine is closing anyway
    } finally {
      closeQuietly(control);
    }
  }
}
