package dev.tarn.bench;

import dev.tarn.bench.branch.BranchBenchmark;
import dev.tarn.bench.cache.CacheBenchmark;
import dev.tarn.bench.compaction.CompactionBenchmark;
import dev.tarn.bench.env.EnvBenchmark;
import dev.tarn.bench.load.LoadBenchmark;
import dev.tarn.bench.movement.MovementBenchmark;
import dev.tarn.bench.startup.StartupBenchmark;
import dev.tarn.bench.stream.StreamBenchmark;
import java.util.List;
import java.util.Optional;

/** Every benchmark {@link BenchMain} knows. A new benchmark is one class and one line here. */
public final class Benchmarks {
  private Benchmarks() {}

  public static List<Benchmark> all() {
    return List.of(
        new StreamBenchmark(),
        new dev.tarn.bench.tpch.TpchBenchmark(),
        new BranchBenchmark(),
        new MovementBenchmark(),
        new EnvBenchmark(),
        new CacheBenchmark(),
        new LoadBenchmark(),
        new StartupBenchmark(),
        new CompactionBenchmark(),
        new dev.tarn.bench.roundtrip.RoundTripBenchmark(),
        new dev.tarn.bench.cli.CliBenchmark(),
        new dev.tarn.bench.writers.WritersBenchmark(),
        new dev.tarn.bench.cache.EditLoopBenchmark());
  }

  public static Optional<Benchmark> named(String name) {
    return all().stream().filter(b -> b.name().equals(name)).findFirst();
  }
}
