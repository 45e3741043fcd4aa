package dev.tarn.executor;

import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Threads with a large stack, on which every call into DuckDB's native code made for a client runs
 * (preparing, describing, executing, fetching result batches).
 *
 * <p>Why: DuckDB parses, binds and plans by recursion on the calling thread's stack. Java threads
 * get 1 MiB by default, and about 650 nested subqueries overflow it: native code cannot throw a
 * Java {@code StackOverflowError}, so the whole process dies (SIGSEGV). On {@value #STACK_MIB} MiB
 * DuckDB's own depth checks ({@code max_expression_depth}, 1000) fire first and the statement gets
 * an ordinary error. The stack is reserved address space; only the pages a call touches use memory.
 *
 * <p>The caller blocks until the call is done, as if it ran the call itself; a call made on one of
 * these threads runs in place. Interrupting the caller interrupts the call's thread.
 *
 * <p>Threads made by {@link #streamingThreads} have the same stack: a result's batches are fetched
 * in place on them, without handing each fetch to another thread and waiting for it. A call with a
 * time limit made there still runs on a thread of the pool, so that the caller can stop waiting,
 * unless it is part of an untimed call already running in place.
 */
public final class DeepStackThreads implements AutoCloseable {
  static final int STACK_MIB = 256;
  private static final long IDLE_SECONDS = 60;

  private final ThreadPoolExecutor pool;

  public DeepStackThreads() {
    AtomicInteger counter = new AtomicInteger();
    // As many threads as callers: every caller blocks on its call, so queueing could only deadlock.
    this.pool = new ThreadPoolExecutor(0, Integer.MAX_VALUE, IDLE_SECONDS, TimeUnit.SECONDS,
        new SynchronousQueue<>(), r -> new DeepThread(this, true, r, "tarn-engine-" + counter.incrementAndGet()));
  }

  /** Whether the current thread has the deep stack (calls without a time limit then run in place). */
  public boolean isCurrentThread() {
    return deepThread() != null;
  }

  /**
   * Makes daemon threads with the deep stack, for a pool whose tasks call into DuckDB themselves
   * (streaming results): untimed calls made on them run in place.
   */
  public ThreadFactory streamingThreads(String namePrefix) {
    AtomicInteger counter = new AtomicInteger();
    return r -> new DeepThread(this, false, r, namePrefix + counter.incrementAndGet());
  }

  /** Runs {@code work} on a deep-stack thread and returns what it returns, or throws what it throws. */
  public <T> T call(Supplier<T> work) {
    DeepThread current = deepThread();
    if (current != null) {
      current.untimedInPlace++;
      try {
        return work.get();
      } finally {
        current.untimedInPlace--;
      }
    }
    Call<T> call = new Call<>(work);
    pool.execute(call);
    return call.await(Long.MAX_VALUE, null);
  }

  /**
   * Like {@link #call(Supplier)}, but the caller waits at most {@code limit}: then it throws what
   * {@code onTimeout} makes and leaves the call behind. DuckDB checks for interruption while it
   * executes, not while it parses, binds and plans a statement, so a huge statement's preparation
   * cannot be stopped; the client still gets its error in time. The call runs to its end and cleans
   * up after itself; a result it returns too late is closed when it is {@link AutoCloseable}.
   */
  public <T> T call(Supplier<T> work, java.time.Duration limit, Supplier<? extends RuntimeException> onTimeout) {
    DeepThread current = deepThread();
    if (current != null && (current.engine || current.untimedInPlace > 0)) {
      // Inside a call already running here: the outer call's caller decides how long to wait, and
      // leaving this part behind could drop what the outer call still uses.
      return work.get();
    }
    Call<T> call = new Call<>(work);
    pool.execute(call);
    long limitNanos = limit.compareTo(java.time.Duration.ofDays(365)) > 0 ? Long.MAX_VALUE : limit.toNanos();
    return call.await(limitNanos, onTimeout);
  }

  /** Runs {@code work} on a deep-stack thread. */
  public void run(Runnable work) {
    call(() -> {
      work.run();
      return null;
    });
  }

  @Override
  public void close() {
    pool.shutdown();
  }

  /** The current thread when it is one of this instance's deep-stack threads, else null. */
  private DeepThread deepThread() {
    return Thread.currentThread() instanceof DeepThread t && t.owner == this ? t : null;
  }

  /**
   * A deep-stack thread. Marked by its class, not its thread group: a thread started from it joins
   * its group but gets the default stack, and must not run DuckDB calls in place.
   */
  private static final class DeepThread extends Thread {
    private final DeepStackThreads owner;
    /** Engine threads run calls for others; stream threads also run their own work. */
    private final boolean engine;
    /** Untimed calls running in place on this thread; touched only by the thread itself. */
    private int untimedInPlace;

    DeepThread(DeepStackThreads owner, boolean engine, Runnable work, String name) {
      super(null, work, name, (long) STACK_MIB << 20);
      this.owner = owner;
      this.engine = engine;
      setDaemon(true);
    }
  }

  /** One call: its result or failure, handed back to the waiting caller. */
  private static final class Call<T> implements Runnable {
    private final Supplier<T> work;
    private Thread runner;
    private boolean interruptRequested;
    private boolean abandoned;
    private boolean done;
    private T result;
    private Throwable failure;

    Call(Supplier<T> work) {
      this.work = work;
    }

    @Override
    public void run() {
      synchronized (this) {
        runner = Thread.currentThread();
        if (interruptRequested) {
          runner.interrupt();
        }
      }
      T value = null;
      Throwable thrown = null;
      try {
        value = work.get();
      } catch (Throwable t) {
        thrown = t;
      }
      boolean late;
      synchronized (this) {
        result = value;
        failure = thrown;
        done = true;
        runner = null;
        late = abandoned;
        notifyAll();
      }
      if (late && value instanceof AutoCloseable closeable) {
        try {
          closeable.close();
        } catch (Exception ignored) {
          // nobody is waiting for this result any more
        }
      }
      Thread.interrupted(); // an interrupt meant for this call must not reach the next one
    }

    /**
     * Waits for the call, at most {@code limitNanos} when {@code onTimeout} is given; an interrupt of
     * the caller is passed on to the call, which still ends normally.
     */
    synchronized T await(long limitNanos, Supplier<? extends RuntimeException> onTimeout) {
      boolean interrupted = false;
      long start = System.nanoTime();
      while (!done) {
        try {
          long remaining = limitNanos - (System.nanoTime() - start);
          if (onTimeout != null && remaining <= 0) {
            abandoned = true;
            if (runner != null) {
              runner.interrupt();
            }
            if (interrupted) {
              Thread.currentThread().interrupt();
            }
            throw onTimeout.get();
          }
          if (onTimeout == null) {
            wait();
          } else {
            TimeUnit.NANOSECONDS.timedWait(this, remaining);
          }
        } catch (InterruptedException e) {
          interrupted = true;
          interruptRequested = true;
          if (runner != null) {
            runner.interrupt();
          }
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      if (failure instanceof RuntimeException e) {
        throw e;
      }
      if (failure instanceof Error e) {
        throw e;
      }
      if (failure != null) {
        throw new IllegalStateException(failure); // a Supplier throws nothing checked
      }
      return result;
    }
  }
}
