package dev.tarn.executor.pipeline;

import dev.tarn.executor.pipeline.PlannedStep.ExpectationStep;
import dev.tarn.executor.pipeline.PlannedStep.PythonModelStep;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Runs a plan's steps on a pool of threads: a step starts as soon as every step it depends on has
 * succeeded. After the first failure nothing new starts; running Python processes are stopped
 * (they may run for minutes, and their results no longer matter), other running steps finish; the
 * run returns once every started step has ended, so nothing still uses the run's database.
 */
final class StepScheduler {
  private final int parallelism;

  StepScheduler(int parallelism) {
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
    }
    this.parallelism = parallelism;
  }

  /** The step that stopped the run and why. */
  record Failure(PlannedStep step, StepFailedException error) {}

  private record Finished(PlannedStep step, StepOutcome outcome, StepFailedException error, long durationMs) {}

  /** Runs every step; empty when all succeeded, else the first failure (steps not started stay pending). */
  Optional<Failure> run(PipelinePlan plan, Function<PlannedStep, StepOutcome> action, RunProgress progress,
      String runId) {
    AtomicInteger threads = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(parallelism, r -> {
      Thread t = new Thread(r, "tarn-run-" + runId + "-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    BlockingQueue<Finished> finished = new LinkedBlockingQueue<>();
    Map<String, Thread> stoppable = new ConcurrentHashMap<>();
    Set<String> done = new HashSet<>();
    Set<String> started = new HashSet<>();
    Failure first = null;
    boolean interrupted = false;
    int running = 0;
    try {
      while (true) {
        if (first == null) {
          // never more than the pool's threads: a queued task would still start after a failure
          for (PlannedStep step : plan.ready(done)) {
            if (running < parallelism && started.add(step.id())) {
              running++;
              pool.execute(() -> finished.add(runOne(step, action, progress, stoppable)));
            }
          }
        }
        if (running == 0) {
          break;
        }
        Finished f;
        try {
          f = finished.take();
        } catch (InterruptedException e) {
          interrupted = true;
          if (first == null) {
            first = new Failure(null, new StepFailedException("the run was cancelled", e));
            stoppable.values().forEach(Thread::interrupt);
          }
          continue;
        }
        running--;
        if (f.error() == null) {
          done.add(f.step().id());
          progress.succeeded(f.step().id(), f.outcome(), f.durationMs());
          continue;
        }
        progress.failed(f.step().id(), f.error().getMessage(), f.error().environment(), f.error().logs(),
            f.durationMs());
        if (first == null) {
          first = new Failure(f.step(), f.error());
          stoppable.values().forEach(Thread::interrupt);
        }
      }
    } finally {
      pool.shutdownNow();
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    return Optional.ofNullable(first);
  }

  private static Finished runOne(PlannedStep step, Function<PlannedStep, StepOutcome> action, RunProgress progress,
      Map<String, Thread> stoppable) {
    long started = System.nanoTime();
    boolean python = step instanceof PythonModelStep || step instanceof ExpectationStep;
    try {
      progress.started(step.id());
      if (python) {
        stoppable.put(step.id(), Thread.currentThread());
      }
      return new Finished(step, action.apply(step), null, millisSince(started));
    } catch (StepFailedException e) {
      return new Finished(step, null, e, millisSince(started));
    } catch (RuntimeException | Error e) {
      // reported like any failure: the scheduler waits for every started step to report
      String message = e.getMessage() != null ? e.getMessage() : e.toString();
      return new Finished(step, null,
          new StepFailedException(StepExecutor.describe(step) + " failed: " + message, e), millisSince(started));
    } finally {
      if (python) {
        stoppable.remove(step.id());
      }
      Thread.interrupted(); // a stop aimed at this step must not reach the next task of this thread
    }
  }

  private static long millisSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }
}
