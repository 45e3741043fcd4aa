package dev.tarn.executor;

import dev.tarn.executor.EngineException.Reason;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;

/**
 * Where one session's temporary tables and views live: an in-memory database attached to the engine
 * under a name of its own ({@code tarn_temp_<random>}).
 *
 * <p>DuckDB's own {@code temp} catalog belongs to one connection, but a session runs a statement on
 * a second connection while one of its results is still streaming ({@link EngineSession}). An
 * attached database is reachable from every connection of the engine, so every statement of the
 * session finds its temporary objects, whichever connection it runs on. Other sessions cannot name
 * it: its name starts with an internal prefix that {@link QueryRules} refuses unless the caller bound
 * it, and only the owning session binds it. It is detached, and its rows freed, when the session
 * closes.
 */
final class TemporaryCatalog {
  private static final String PREFIX = "tarn_temp_";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final DuckDbEngine engine;
  private final String name;

  private TemporaryCatalog(DuckDbEngine engine, String name) {
    this.engine = engine;
    this.name = name;
  }

  /** Attaches a new, empty temporary catalog with a name no one can guess. */
  static TemporaryCatalog attach(DuckDbEngine engine) {
    byte[] random = new byte[12];
    RANDOM.nextBytes(random);
    String name = PREFIX + HexFormat.of().formatHex(random);
    try (Connection c = engine.openInternalConnection(); Statement s = c.createStatement()) {
      s.execute("ATTACH ':memory:' AS " + EngineSession.quoteIdentifier(name));
    } catch (SQLException e) {
      throw new EngineException(Reason.INVALID, "cannot create the session's catalog of temporary tables: "
          + e.getMessage(), e);
    }
    return new TemporaryCatalog(engine, name);
  }

  /** The attached database's name, unquoted. */
  String name() {
    return name;
  }

  /**
   * Detaches the database: the session's temporary tables and views are gone. False when that
   * cannot happen yet (a result of the session still reads it); the caller tries again later.
   */
  boolean detach() {
    try (Connection c = engine.openInternalConnection(); Statement s = c.createStatement()) {
      s.execute("DETACH DATABASE IF EXISTS " + EngineSession.quoteIdentifier(name));
      return true;
    } catch (SQLException | RuntimeException e) {
      return false;
    }
  }
}
