package dev.tarn.catalog.iceberg;

import java.util.List;
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
