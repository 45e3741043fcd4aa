package dev.tarn.catalog.storage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a caller's file operations side by side, for work that mostly waits on the disk (forcing
 * files): the calling thread and up to {@code helpersPerCall} helper threads each take the next
 * task as they finish one. So one caller's thousands of tasks never queue ahead of another
 * caller's few.
 *
 * <p>The helpers of every caller share one pool of at most {@code maxThreads}, started on demand
 * and ended after {@code idle}. It has no queue: a helper starts at once or is refused, and the
 * caller then does more itself.
 */
public final class SideBySide implements AutoCloseable {
  private final ThreadPoolExecutor helpers;
  private final int helpersPerCall;

  public SideBySide(String threadNamePrefix, int maxThreads, int helpersPerCall, Duration idle) {
    AtomicInteger count = new AtomicInteger();
    this.helpers = new ThreadPoolExecutor(0, maxThreads, idle.toMillis(), TimeUnit.MILLISECONDS,
        new SynchronousQueue<>(), r -> {
          Thread t = new Thread(r, threadNamePrefix + count.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    this.helpersPerCall = helpersPerCall;
  }

  /**
   * Runs every task and returns when all have ended. After a task fails no further task starts;
   * its failure is thrown, as it was thrown, once the tasks under way have ended.
   */
  public void run(List<? extends Runnable> tasks) {
    AtomicInteger next = new AtomicInteger();
    AtomicBoolean failed = new AtomicBoolean();
    Runnable worker = () -> {
      for (int i = next.getAndIncrement(); i < tasks.size() && !failed.get(); i = next.getAndIncrement()) {
        try {
          tasks.get(i).run();
        } catch (RuntimeException | Error e) {
          failed.set(true);
          throw e;
        }
      }
    };
    List<CompletableFuture<Void>> workers = new ArrayList<>();
    try {
      for (int h = 0; h < Math.min(helpersPerCall, tasks.size() - 1); h++) {
        workers.add(CompletableFuture.runAsync(worker, helpers));
      }
    } catch (RejectedExecutionException busyOrClosed) {
      // every helper is working for other callers (or the pool is closed): the caller does the rest
    }
    workers.add(CompletableFuture.runAsync(worker, Runnable::run)); // the caller's share, here
    try {
      CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw e;
    }
  }

  /** Lets the helpers end once their tasks are done; later calls run on their callers alone. */
  @Override
  public void close() {
    helpers.shutdown();
  }
}
