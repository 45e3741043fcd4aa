package dev.tarn.catalog.embedded;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Set;
import org.projectnessie.versioned.storage.common.persist.Persist;

/**
 * A Nessie {@link Persist} that makes every reference change durable before it returns. A Nessie
 * commit stores its objects first and then moves the branch's reference (a compare-and-swap); the
 * reference change is the commit point. Syncing the write-ahead log right after it also covers the
 * objects written before it (the log is sequential), so one sync per commit, branch or tag change
 * is enough: when the catalog acknowledges a commit, the commit is on disk.
 */
final class SyncedPersist {
  /** The {@link Persist} methods that change a reference: commits, merges, branch and tag changes. */
  static final Set<String> REFERENCE_CHANGES =
      Set.of("addReference", "markReferenceAsDeleted", "purgeReference", "updateReferencePointer");

  private SyncedPersist() {}

  /** {@code persist}, calling {@code sync} after each successful reference change. */
  static Persist wrap(Persist persist, Runnable sync) {
    return (Persist) Proxy.newProxyInstance(Persist.class.getClassLoader(), new Class<?>[] {Persist.class},
        (proxy, method, args) -> {
          Object result = invoke(persist, method, args);
          if (REFERENCE_CHANGES.contains(method.getName())) {
            sync.run();
          }
          return result;
        });
  }

  private static Object invoke(Persist persist, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(persist, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
