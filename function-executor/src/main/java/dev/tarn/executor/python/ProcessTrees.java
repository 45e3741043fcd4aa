package dev.tarn.executor.python;

import java.util.concurrent.TimeUnit;

/** Stopping a Python or uv process together with everything it started (package builds, workers). */
public final class ProcessTrees {
  private ProcessTrees() {}

  /** Kills the process and its descendants, and waits briefly for it to be gone. */
  public static void destroy(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
