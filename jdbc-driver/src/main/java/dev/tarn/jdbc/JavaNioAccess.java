package dev.tarn.jdbc;

import java.lang.instrument.Instrumentation;
import java.sql.SQLException;
import java.util.Map;
import java.util.Set;
import net.bytebuddy.agent.ByteBuddyAgent;

/**
 * Arrow's memory layer reads {@code java.nio.Buffer.address} by reflection, which Java 16 and later
 * allow only when {@code java.base} opens {@code java.nio} to the caller. Instead of asking every
 * JVM for {@code --add-opens}, the driver opens the package to its own module at run time through
 * the instrumentation API (Byte Buddy attaches to the running JVM, from a short-lived second JVM
 * process when the JVM may not attach to itself). This must happen before any Arrow class
 * initializes, so the driver calls {@link #ensureOpen()} before it touches Arrow.
 */
final class JavaNioAccess {
  static final String FLAG = "--add-opens=java.base/java.nio=ALL-UNNAMED";
  private static final Object LOCK = new Object();
  private static volatile String failure;

  private JavaNioAccess() {}

  /** Opens java.nio to the driver's module once; throws naming the flag when no way works. */
  static void ensureOpen() throws SQLException {
    Module driver = JavaNioAccess.class.getModule();
    if (isOpen(driver)) {
      return;
    }
    synchronized (LOCK) {
      if (isOpen(driver)) {
        return;
      }
      if (failure == null) {
        failure = open(driver);
      }
    }
    if (!isOpen(driver)) {
      throw new SQLException("the Tarn JDBC driver could not open java.base/java.nio to itself (" + failure
          + "); start this JVM with " + openFlag(driver), "08001");
    }
  }

  private static boolean isOpen(Module driver) {
    return Object.class.getModule().isOpen("java.nio", driver);
  }

  private static String openFlag(Module driver) {
    return driver.isNamed() ? "--add-opens=java.base/java.nio=" + driver.getName() : FLAG;
  }

  /** Null when opened, else why not. */
  private static String open(Module driver) {
    try {
      Instrumentation instrumentation = ByteBuddyAgent.install();
      Module base = Object.class.getModule();
      instrumentation.redefineModule(base, Set.of(), Map.of(), Map.of("java.nio", Set.of(driver)), Set.of(),
          Map.of());
      return null;
    } catch (RuntimeException | LinkageError e) {
      // e.g. a JRE without the jdk.attach module, or -XX:+DisableAttachMechanism
      return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
  }
}
