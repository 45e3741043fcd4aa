package dev.tarn.executor.python;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Warm model processes, kept per environment and per user (and per memory limit and network
 * isolation, which a process keeps for life): what one user's model leaves in a process can reach
 * only that user's later models, and only until the process is retired. A run takes an idle one or
 * starts one, and gives it back when its request succeeded; a worker is retired after a failed
 * request, after {@link #MAX_RUNS} requests, when it has grown by {@link #MAX_GROWTH_BYTES}, or after
 * {@link #MAX_IDLE} without work. Pipelines {@link #prestart} the workers of their environments
 * before their first model needs one.
 */
final class PythonWorkers implements AutoCloseable {
  static final int MAX_RUNS = 50;
  static final long MAX_GROWTH_BYTES = 1L << 30;
  static final Duration MAX_IDLE = Duration.ofMinutes(10);
  /** Idle workers kept per key: a pipeline runs at most two models at once. */
  static final int MAX_IDLE_PER_KEY = 2;

  /** What a worker process is fixed to for life. */
  record Key(Path python, String environmentHash, long memoryLimitBytes, boolean withoutNetwork, String owner) {
    static Key of(PythonEnvironment environment, long memoryLimitBytes, boolean withoutNetwork, String owner) {
      return new Key(environment.python(), environment.hash(), memoryLimitBytes, withoutNetwork, owner);
    }
  }

  private final Path scratchRoot;
  private final Map<Key, Deque<PythonWorker>> idle = new HashMap<>();
  private boolean closed;

  PythonWorkers(Path scratchRoot) {
    this.scratchRoot = scratchRoot;
  }

  /** An idle worker for the call, or a new one. */
  PythonWorker take(ModelCall call) {
    Key key = Key.of(call.environment(), call.memoryLimitBytes(), call.withoutNetwork(), call.owner());
    List<PythonWorker> stale = new ArrayList<>();
    PythonWorker found = null;
    synchronized (this) {
      retireIdle(stale);
      Deque<PythonWorker> workers = idle.get(key);
      while (found == null && workers != null && !workers.isEmpty()) {
        PythonWorker w = workers.pollFirst();
        if (w.alive() && w.quiet()) {
          found = w;
        } else {
          stale.add(w);
        }
      }
    }
    stale.forEach(PythonWorker::destroy);
    return found != null ? found : start(key, call.environment());
  }

  /** Starts a worker for the environment if none is idle, so that the next call finds one warm. */
  void prestart(PythonEnvironment environment, long memoryLimitBytes, boolean withoutNetwork, String owner) {
    Key key = Key.of(environment, memoryLimitBytes, withoutNetwork, owner);
    synchronized (this) {
      if (closed || !idle.getOrDefault(key, new ArrayDeque<>()).isEmpty()) {
        return;
      }
    }
    giveBack(start(key, environment), true);
  }

  /** Keeps the worker for the next call, or retires it. */
  void giveBack(PythonWorker worker, boolean clean) {
    boolean keep = clean && worker.alive() && worker.quiet() && worker.runs() < MAX_RUNS
        && worker.growthBytes() < MAX_GROWTH_BYTES;
    if (keep) {
      synchronized (this) {
        Deque<PythonWorker> workers = idle.computeIfAbsent(worker.key(), k -> new ArrayDeque<>());
        if (!closed && workers.size() < MAX_IDLE_PER_KEY) {
          worker.markIdle();
          workers.addFirst(worker);
          return;
        }
      }
    }
    worker.destroy();
  }

  private PythonWorker start(Key key, PythonEnvironment environment) {
    List<String> command = environment.command("-u", "-m", "tarn.worker");
    if (key.withoutNetwork()) {
      command = NetworkIsolation.wrap(command); // IllegalStateException when this machine cannot isolate
    }
    try {
      return PythonWorker.start(key, command, Files.createTempDirectory(scratchRoot, "tarn-worker-"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start a Python worker for " + environment.spec() + ": "
          + e.getMessage(), e);
    }
  }

  private void retireIdle(List<PythonWorker> stale) {
    for (Deque<PythonWorker> workers : idle.values()) {
      for (Iterator<PythonWorker> it = workers.iterator(); it.hasNext(); ) {
        PythonWorker w = it.next();
        if (!w.alive() || !w.quiet() || w.idleNanos() > MAX_IDLE.toNanos()) {
          it.remove();
          stale.add(w);
        }
      }
    }
  }

  /** Idle workers right now, all environments together. */
  synchronized int idleCount() {
    return idle.values().stream().mapToInt(Deque::size).sum();
  }

  @Override
  public void close() {
    List<PythonWorker> all = new ArrayList<>();
    synchronized (this) {
      closed = true;
      idle.values().forEach(all::addAll);
      idle.clear();
    }
    all.forEach(PythonWorker::destroy);
  }
}
