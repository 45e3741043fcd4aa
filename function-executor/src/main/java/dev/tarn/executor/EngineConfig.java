package dev.tarn.executor;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How the embedded engine is sized and locked down.
 *
 * @param warehouse the only directory client SQL may read or write files in
 * @param memoryLimit DuckDB's memory limit, in DuckDB's notation ("4GB", "75%")
 * @param threads worker threads DuckDB may use for one query
 * @param maxConcurrentExecutions how many statements run at once across all sessions; more wait
 * @param admissionTimeout how long a statement waits for a free slot before it is refused
 * @param queryTimeout how long a statement (including streaming its result) may run before it is cancelled
 * @param batchRows rows per Arrow batch handed out of DuckDB
 */
public record EngineConfig(
    Path warehouse,
    String memoryLimit,
    int threads,
    int maxConcurrentExecutions,
    Duration admissionTimeout,
    Duration queryTimeout,
    int batchRows) {

  public EngineConfig {
    warehouse = warehouse.toAbsolutePath().normalize();
    if (threads < 1 || maxConcurrentExecutions < 1 || batchRows < 1) {
      throw new IllegalArgumentException("threads, maxConcurrentExecutions and batchRows must be positive");
    }
  }

  /** Sensible defaults for a server on this machine: all cores, 60% of memory, 10 minute queries. */
  public static EngineConfig defaults(Path warehouse) {
    return new EngineConfig(
        warehouse,
        "60%",
        Runtime.getRuntime().availableProcessors(),
        16,
        Duration.ofSeconds(30),
        Duration.ofMinutes(10),
        131_072);
  }

  public EngineConfig withQueryTimeout(Duration timeout) {
    return new EngineConfig(warehouse, memoryLimit, threads, maxConcurrentExecutions, admissionTimeout, timeout, batchRows);
  }
}
