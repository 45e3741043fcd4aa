package dev.tarn.core.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** The server's measurements, named for Prometheus: statements by kind and outcome, latency, volume. */
public final class TarnMetrics {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Counter rows;
  private final Counter bytes;
  private final Counter cancellations;

  public TarnMetrics() {
    rows = Counter.builder("tarn.rows.streamed").description("Rows sent to clients").register(registry);
    bytes = Counter.builder("tarn.bytes.streamed").baseUnit("bytes").description("Arrow bytes sent to clients")
        .register(registry);
    cancellations = Counter.builder("tarn.statements.cancelled")
        .description("Statements cancelled by clients or timeouts").register(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** The text a Prometheus scrape receives. */
  public String scrape() {
    return registry.scrape();
  }

  public void gauge(String name, String description, Supplier<Number> value) {
    Gauge.builder(name, value).description(description).register(registry);
  }

  /** A statement reached the engine and DuckDB answered (first batch or update count). */
  public void statementStarted(String kind, long nanos) {
    Timer.builder("tarn.statement.latency")
        .description("Time until the engine answers: first batch or update count")
        .tag("kind", kind)
        .publishPercentileHistogram()
        .register(registry)
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  public void statementSucceeded(String kind, long nanos) {
    count(kind, "ok");
    if (nanos > 0) {
      statementStarted(kind, nanos);
    }
  }

  public void statementFailed(String kind) {
    count(kind, "error");
  }

  public void streamFinished(String kind, long rowCount, long byteCount, boolean ok) {
    count(kind, ok ? "ok" : "error");
    rows.increment(rowCount);
    bytes.increment(byteCount);
    DistributionSummary.builder("tarn.result.rows").description("Rows per streamed result").register(registry)
        .record(rowCount);
  }

  /** A lakehouse scan pruned by the query's filters: data files read and skipped. */
  public void scanned(int filesRead, int filesSkipped) {
    Counter.builder("tarn.scan.files").description("Data files of filtered scans, read or skipped by metadata")
        .tag("outcome", "read").register(registry).increment(filesRead);
    Counter.builder("tarn.scan.files").description("Data files of filtered scans, read or skipped by metadata")
        .tag("outcome", "skipped").register(registry).increment(filesSkipped);
  }

  public void cancelled() {
    cancellations.increment();
  }

  private void count(String kind, String outcome) {
    Counter.builder("tarn.statements")
        .description("Statements by kind and outcome")
        .tag("kind", kind)
        .tag("outcome", outcome)
        .register(registry)
        .increment();
  }
}
