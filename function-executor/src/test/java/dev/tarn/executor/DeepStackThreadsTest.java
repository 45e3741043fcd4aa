package dev.tarn.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Where engine calls run: in place on deep-stack threads, on the pool when a caller must be able to stop waiting. */
class DeepStackThreadsTest {

  private static int depth(int n) {
    return n == 0 ? 0 : 1 + depth(n - 1);
  }

  /** Runs {@code work} on a streaming thread of {@code threads} and returns what it returned, within 30 s. */
  private static <T> T onAStreamingThread(DeepStackThreads threads, Callable<T> work) throws Exception {
    ExecutorService streaming = Executors.newSingleThreadExecutor(threads.streamingThreads("test-stream-"));
    try {
      return streaming.submit(work).get(30, TimeUnit.SECONDS);
    } finally {
      streaming.shutdownNow();
    }
  }

  @Test
  void streamingThreadsHaveTheDeepStackAndRunUntimedCallsInPlace() throws Exception {
    try (DeepStackThreads threads = new DeepStackThreads()) {
      Object[] result = onAStreamingThread(threads, () -> {
        Thread self = Thread.currentThread();
        // a recursion that overflows a default 1 MiB stack
        int deep = depth(200_000);
        return new Object[] {self, threads.call(Thread::currentThread), deep, threads.isCurrentThread()};
      });
      assertSame(result[0], result[1], "the untimed call ran on the streaming thread itself");
      assertEquals(200_000, result[2]);
      assertTrue((Boolean) result[3]);
      assertTrue(((Thread) result[0]).getName().startsWith("test-stream-"));
    }
  }

  @Test
  void aTimedCallFromAStreamingThreadRunsOnThePoolSoItsCallerCanStopWaiting() throws Exception {
    try (DeepStackThreads threads = new DeepStackThreads()) {
      CountDownLatch release = new CountDownLatch(1);
      Object[] result;
      try {
        result = onAStreamingThread(threads, () -> {
          Thread self = Thread.currentThread();
          Thread ran = threads.call(Thread::currentThread, Duration.ofSeconds(30), IllegalStateException::new);
          long start = System.nanoTime();
          IllegalStateException late = assertThrows(IllegalStateException.class, () -> threads.call(() -> {
            try {
              release.await(); // stands for a DuckDB preparation that cannot be interrupted
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return 1;
          }, Duration.ofMillis(200), () -> new IllegalStateException("gave up")));
          return new Object[] {self, ran, late.getMessage(), System.nanoTime() - start};
        });
      } finally {
        release.countDown();
      }
      assertNotSame(result[0], result[1], "the timed call ran on a pool thread");
      assertEquals("gave up", result[2]);
      assertTrue((Long) result[3] < TimeUnit.SECONDS.toNanos(10), "the caller stopped waiting at the limit");
    }
  }

  @Test
  void aTimedCallInsideAnUntimedCallRunningOnAStreamingThreadStaysThere() throws Exception {
    try (DeepStackThreads threads = new DeepStackThreads()) {
      Thread[] ran = onAStreamingThread(threads, () -> threads.call(() -> new Thread[] {
          Thread.currentThread(),
          threads.call(Thread::currentThread, Duration.ofSeconds(30), IllegalStateException::new)}));
      assertSame(ran[0], ran[1], "the inner call was not left to another thread it could be abandoned on");
    }
  }

  @Test
  void aThreadStartedFromADeepStackThreadIsNotTakenForOne() throws Exception {
    try (DeepStackThreads threads = new DeepStackThreads()) {
      Object[] result = onAStreamingThread(threads, () -> {
        Object[] out = new Object[3];
        Thread child = new Thread(() -> {
          out[0] = Thread.currentThread();
          out[1] = threads.isCurrentThread();
          out[2] = threads.call(Thread::currentThread);
        });
        child.start();
        child.join();
        return out;
      });
      assertEquals(false, result[1]);
      assertNotSame(result[0], result[2], "its DuckDB calls go to a deep-stack thread");
      assertTrue(((Thread) result[2]).getName().startsWith("tarn-engine-"));
    }
  }

  @Test
  void anotherInstancesThreadsAreNotItsOwn() throws Exception {
    try (DeepStackThreads one = new DeepStackThreads(); DeepStackThreads other = new DeepStackThreads()) {
      assertNotSame(Thread.currentThread(), one.call(Thread::currentThread));
      assertEquals(false, one.call(other::isCurrentThread));
    }
  }
}
