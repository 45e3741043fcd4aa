package dev.tarn.bench.cache;

import dev.tarn.executor.pipeline.ScanCache;
import java.util.List;

/** One way of running B6's scans in order, each timed and its answer checked. */
interface ScanSide {

  /**
   * Every scan once, in order, reading through {@code cache} (which may be off).
   *
   * @param side names the cache's state in errors
   */
  List<ScanRun> run(ScanCache cache, String side) throws Exception;
}
