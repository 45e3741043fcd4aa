package dev.tarn.jdbc;

import java.sql.SQLException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/**
 * Starts Arrow's memory layer for a connection. It needs two things from the JVM: {@code java.nio}
 * opened to it (done at run time by {@link JavaNioAccess}) and {@code sun.misc.Unsafe}'s memory
 * access, which Java 24 and later allow with a warning but can be told to deny.
 */
final class ArrowMemory {
  static final String UNSAFE_FLAG = "--sun-misc-unsafe-memory-access=allow";
  /** Why Arrow could not start: a class that failed to initialize fails the same way for good. */
  private static volatile String unavailable;

  private ArrowMemory() {}

  static BufferAllocator rootAllocator() throws SQLException {
    JavaNioAccess.ensureOpen();
    if (unavailable != null) {
      throw new SQLException(unavailable, "08001");
    }
    try {
      return new RootAllocator();
    } catch (LinkageError e) {
      unavailable = Runtime.version().feature() >= 23 && causedByUnsupportedOperation(e)
          ? "Arrow's memory layer needs sun.misc.Unsafe's memory access, which this JVM denies; start it with "
              + UNSAFE_FLAG
          : "Arrow's memory layer could not start in this JVM: " + e;
      throw new SQLException(unavailable, "08001", e);
    }
  }

  private static boolean causedByUnsupportedOperation(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UnsupportedOperationException) {
        return true;
      }
    }
    return false;
  }
}
