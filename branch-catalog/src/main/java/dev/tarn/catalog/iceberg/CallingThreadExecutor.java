package dev.tarn.catalog.iceberg;

import java.util.List;
import org.apache.iceberg.SnapshotUpdate;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs every task on the thread that submits it. Iceberg's planning and commit steps take an
 * executor; for Tarn's small, frequent operations handing work to a pool and polling for it costs
 * more than doing it in place.
 */
public final class CallingThreadExecutor extends AbstractExecutorService {
  /** One shared instance: it holds no state. */
  public static final CallingThreadExecutor INSTANCE = new CallingThreadExecutor();

  private CallingThreadExecutor() {}

  /**
   * A snapshot update that reads and writes its manifests on the calling thread. Iceberg writes new
   * manifests on its worker pool unless told otherwise, and polls the pool every 10 ms: one such
   * sleep was a fifth of a one-row INSERT.
   */
  public static <T extends SnapshotUpdate<T>> T inPlace(T update) {
    return update.scanManifestsWith(INSTANCE).writeManifestsWith(INSTANCE, 1);
  }

  @Override
  public void execute(Runnable command) {
    command.run();
  }

  @Override
  public void shutdown() {}

  @Override
  public List<Runnable> shutdownNow() {
    return List.of();
  }

  @Override
  public boolean isShutdown() {
    return false;
  }

  @Override
  public boolean isTerminated() {
    return false;
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return true;
  }
}
