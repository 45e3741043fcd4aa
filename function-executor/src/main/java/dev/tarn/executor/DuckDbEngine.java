package dev.tarn.executor;

import dev.tarn.executor.EngineException.Reason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded DuckDB database every session runs on, locked down before any client SQL reaches it:
 * files only inside the warehouse, no extension installs, no attached databases, settings frozen.
 *
 * <p>The engine's own database is in memory: lakehouse tables live as Iceberg files in the warehouse
 * and reach DuckDB as views (see {@code lakehouse.LakehouseViews}); the in-memory catalog
 * {@value #CATALOG} only holds what a session makes for itself.
 */
public final class DuckDbEngine implements AutoCloseable {
  public static final String CATALOG = "memory";
  public static final String DEFAULT_SCHEMA = "public";
  /** What client SQL may read under the warehouse: table files, cached object-store files, spill. */
  private static final java.util.List<String> ALLOWED_SUBDIRECTORIES = java.util.List.of(
      dev.tarn.catalog.BranchCatalog.LOCAL_TABLES_FOLDER, "cache", "engine");
  private static final Logger LOG = LoggerFactory.getLogger(DuckDbEngine.class);

  private final EngineConfig config;
  private final DuckDBConnection root;
  /**
   * A second database without worker threads ({@code threads = 1}): a statement on it runs wholly on
   * the calling thread. Tarn runs its own small statements of bounded work there (writing one row of
   * constants), which on a busy machine would otherwise wait for the main database's worker thread
   * to be scheduled: a one-row COPY took 3 ms instead of 1.7 ms with one core taken
   * (benchmarks/README.md, B3).
   */
  private final DuckDBConnection inline;
  /** Enough for the statements Tarn runs inline, whose size the statement limit bounds. */
  private static final String INLINE_MEMORY_LIMIT = "512MB";
  private final Semaphore slots;
  private final ScheduledExecutorService timeouts;
  private final BufferAllocator probes = new RootAllocator(64L << 20);
  private final DeepStackThreads deepStack = new DeepStackThreads();
  private final EngineReadings readings = new EngineReadings();
  private final EngineReaders readers = new EngineReaders(this::newConnection);

  private DuckDbEngine(EngineConfig config, DuckDBConnection root, DuckDBConnection inline) {
    this.config = config;
    this.root = root;
    this.inline = inline;
    this.slots = new Semaphore(config.maxConcurrentExecutions(), true);
    this.timeouts = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "tarn-query-timeouts");
      t.setDaemon(true);
      return t;
    });
  }

  /** Opens the engine, spilling to the warehouse, and locks it down. */
  public static DuckDbEngine open(EngineConfig config) {
    String warehouse = config.warehouse().toAbsolutePath().toString();
    if (warehouse.chars().anyMatch(c -> c == '*' || c == '?' || c == '[')) {
      // DuckDB reads every file path as a glob pattern: under such a folder no path would name one file
      throw new EngineException(Reason.INVALID, "the warehouse folder " + warehouse + " holds *, ? or [,"
          + " which the engine reads as a file name pattern; choose a folder whose path has none of them");
    }
    Path dir = config.warehouse().resolve("engine");
    Path spill = config.warehouse().resolve("engine").resolve("spill");
    try {
      Files.createDirectories(spill);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the warehouse directory " + dir + ": " + e.getMessage(), e);
    }
    try {
      DuckDBConnection root = openDatabase(config, config.memoryLimit(), config.threads(), spill.toString());
      DuckDBConnection inline;
      try {
        inline = openDatabase(config, INLINE_MEMORY_LIMIT, 1, "");
      } catch (SQLException e) {
        root.close();
        throw e;
      }
      LOG.info("DuckDB engine ready: warehouse {}, memory limit {}, {} threads",
          config.warehouse(), config.memoryLimit(), config.threads());
      return new DuckDbEngine(config, root, inline);
    } catch (SQLException e) {
      throw new EngineException(Reason.INVALID,
          "cannot start the DuckDB engine: " + e.getMessage(), e);
    }
  }

  /**
   * A new in-memory DuckDB database, locked down: it reads and writes only the warehouse's table
   * files, cache and engine folders, loads no extension on its own, and no statement can change a
   * setting after this. An empty {@code spill} turns spilling off.
   */
  private static DuckDBConnection openDatabase(EngineConfig config, String memoryLimit, int threads, String spill)
      throws SQLException {
    Properties props = new Properties();
    props.setProperty("jdbc_stream_results", "true");
    props.setProperty("autoinstall_known_extensions", "false");
    props.setProperty("autoload_known_extensions", "false");
    DuckDBConnection root = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:", props);
    try (Statement s = root.createStatement()) {
      s.execute("CREATE SCHEMA IF NOT EXISTS " + DEFAULT_SCHEMA);
      s.execute("SET memory_limit = '" + memoryLimit.replace("'", "") + "'");
      s.execute("SET threads = " + threads);
      s.execute("SET temp_directory = '" + sqlString(spill) + "'");
      // Table files and the engine's own spill space; never the catalog's repository beside them.
      s.execute("SET allowed_directories = [" + String.join(", ", ALLOWED_SUBDIRECTORIES.stream()
          .map(d -> "'" + sqlString(config.warehouse().resolve(d).toString()) + "'").toList()) + "]");
      s.execute("SET allow_community_extensions = false");
      s.execute("SET enable_external_access = false");
      // From here on no statement can change any setting, including the ones above.
      s.execute("SET lock_configuration = true");
    } catch (SQLException e) {
      root.close();
      throw e;
    }
    return root;
  }

  private static String sqlString(String s) {
    return s.replace("'", "''");
  }

  public EngineConfig config() {
    return config;
  }

  /** A new session: its own connections and current schema. Close it when the client goes away. */
  public EngineSession openSession() {
    return new EngineSession(this);
  }

  DuckDBConnection newConnection() throws SQLException {
    return (DuckDBConnection) root.duplicate();
  }

  /**
   * A new connection for Tarn's own engine-internal statements: attaching the in-memory catalogs
   * that hold lakehouse views, scratch tables, writing data files. Never run client SQL on it (the
   * server refuses ATTACH and COPY from clients; this connection is how Tarn itself does them).
   * The caller closes it.
   */
  public DuckDBConnection openInternalConnection() {
    try {
      return newConnection();
    } catch (SQLException e) {
      throw DuckDbErrors.translate(e);
    }
  }

  /**
   * A new connection to the inline database (see {@link #inline}), for Tarn's own statements of
   * bounded work that name no catalog; never client SQL. The caller closes it.
   */
  public DuckDBConnection openInlineConnection() {
    try {
      return (DuckDBConnection) inline.duplicate();
    } catch (SQLException e) {
      throw DuckDbErrors.translate(e);
    }
  }

  void acquireSlot() {
    try {
      if (!slots.tryAcquire(config.admissionTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
        throw new EngineException(Reason.BUSY,
            "the server is running " + config.maxConcurrentExecutions()
                + " statements already and none finished within " + config.admissionTimeout().toSeconds()
                + " s; try again shortly");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineException(Reason.CANCELLED, "interrupted while waiting for a free engine slot", e);
    }
  }

  void releaseSlot() {
    slots.release();
  }

  /** Statements running right now, across all sessions. */
  public int runningExecutions() {
    return config.maxConcurrentExecutions() - slots.availablePermits();
  }

  /** A small allocator for reading result schemas; close it after use. */
  BufferAllocator probeAllocator() {
    return probes.newChildAllocator("schema-probe", 0, 16L << 20);
  }

  ScheduledExecutorService timeouts() {
    return timeouts;
  }

  /** DuckDB's readings of statement texts, shared by every session (a reading depends on the text alone). */
  EngineReadings readings() {
    return readings;
  }

  /** The connections that read statement texts for every session. */
  EngineReaders readers() {
    return readers;
  }

  /** Where calls into DuckDB for clients run, so that deep statements get DuckDB's errors, not a crash. */
  public DeepStackThreads deepStack() {
    return deepStack;
  }

  @Override
  public void close() {
    timeouts.shutdownNow();
    deepStack.close();
    readers.close();
    try {
      inline.close();
    } catch (SQLException e) {
      LOG.warn("closing the engine's inline database failed: {}", e.getMessage());
    }
    try {
      root.close();
    } catch (SQLException e) {
      LOG.warn("closing the engine database failed: {}", e.getMessage());
    }
    probes.close();
  }
}
