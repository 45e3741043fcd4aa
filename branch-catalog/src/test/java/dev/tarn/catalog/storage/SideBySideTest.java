package dev.tarn.catalog.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SideBySideTest {
  @Test
  void everyTaskRunsOnceOnTheCallerAndItsHelpers() {
    try (SideBySide work = new SideBySide("test-side-", 4, 3, Duration.ofSeconds(5))) {
      Set<Integer> done = ConcurrentHashMap.newKeySet();
      Set<String> threads = ConcurrentHashMap.newKeySet();
      AtomicInteger runs = new AtomicInteger();
      work.run(IntStream.range(0, 200).mapToObj(i -> (Runnable) () -> {
        runs.incrementAndGet();
        threads.add(Thread.currentThread().getName());
        sleep(1);
        done.add(i);
      }).toList());
      assertEquals(200, runs.get());
      assertEquals(200, done.size());
      assertTrue(threads.contains(Thread.currentThread().getName()), "the caller takes its share: " + threads);
      assertTrue(threads.size() > 1, "helpers take theirs: " + threads);
    }
  }

  @Test
  void aFailureStopsNewTasksAndIsThrownAsItWas() {
    try (SideBySide work = new SideBySide("test-side-", 1, 1, Duration.ofSeconds(5))) {
      IllegalStateException broken = new IllegalStateException("task 3 is broken");
      AtomicInteger started = new AtomicInteger();
      IllegalStateException thrown = assertThrows(IllegalStateException.class,
          () -> work.run(IntStream.range(0, 100).mapToObj(i -> (Runnable) () -> {
            started.incrementAndGet();
            if (i == 3) {
              throw broken;
            }
            sleep(2);
          }).toList()));
      assertSame(broken, thrown);
      assertTrue(started.get() < 10, "no task starts after the failure: " + started.get() + " started");
    }
  }

  @Test
  void withItsHelpersClosedTheCallerDoesEverything() {
    SideBySide work = new SideBySide("test-side-", 2, 2, Duration.ofSeconds(5));
    work.close();
    Set<String> threads = ConcurrentHashMap.newKeySet();
    work.run(List.of(() -> threads.add(Thread.currentThread().getName()),
        () -> threads.add(Thread.currentThread().getName())));
    assertEquals(Set.of(Thread.currentThread().getName()), threads);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
