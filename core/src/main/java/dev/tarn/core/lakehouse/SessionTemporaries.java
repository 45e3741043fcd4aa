package dev.tarn.core.lakehouse;

import dev.tarn.executor.EngineException;
import dev.tarn.executor.EngineException.Reason;
import dev.tarn.executor.EngineSession;
import dev.tarn.sql.TableReference;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The temporary tables and views a session has when a statement starts, and the names DuckDB knows
 * them by. Clients name them as in DuckDB: {@code temp.x}, {@code temp.main.x}, or {@code x} alone,
 * which finds a temporary object before a lakehouse table of the same name (DuckDB and PostgreSQL
 * look in the temporary schema first). They live in the session's own catalog ({@link
 * EngineSession#temporaryCatalog()}), so Tarn writes each of them fully qualified into the text
 * DuckDB runs, on whichever connection of the session runs it.
 *
 * @param catalog the session's temporary catalog, when it has one
 * @param names the objects' names by their lower-cased form (DuckDB compares identifiers without case)
 */
record SessionTemporaries(Optional<String> catalog, Map<String, String> names) {
  private static final String SCHEMA = "main";
  static final SessionTemporaries NONE = new SessionTemporaries(Optional.empty(), Map.of());

  SessionTemporaries {
    names = Map.copyOf(names);
  }

  /** The session's temporary objects right now (no engine call when it never made one). */
  static SessionTemporaries of(EngineSession engine) {
    Optional<String> catalog = engine.existingTemporaryCatalog();
    if (catalog.isEmpty()) {
      return NONE;
    }
    Map<String, String> names = engine.withConnection(c -> {
      Map<String, String> found = new HashMap<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT table_name FROM duckdb_tables() WHERE database_name = ?"
          + " UNION ALL SELECT view_name FROM duckdb_views() WHERE database_name = ?")) {
        ps.setString(1, catalog.get());
        ps.setString(2, catalog.get());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            found.put(rs.getString(1).toLowerCase(Locale.ROOT), rs.getString(1));
          }
        }
      }
      return found;
    });
    return new SessionTemporaries(catalog, names);
  }

  /**
   * Whether a reference means a temporary object: written {@code temp.x} or {@code temp.main.x}, or
   * written {@code x} alone when the session has a temporary object of that name. A time-travel
   * clause makes a plain name a lakehouse table's; on a name qualified as temporary it is an error
   * (temporary objects have no history).
   */
  boolean namesTemporary(TableReference reference) {
    List<String> parts = reference.nameParts();
    if (reference.qualifiedAsTemporary()) {
      if (reference.at().isPresent() || reference.atParameter().isPresent()) {
        throw new EngineException(Reason.INVALID, "the temporary table " + reference.qualifiedName()
            + " has no history: leave out its AT or FOR SYSTEM_TIME clause");
      }
      return true;
    }
    return parts.size() == 1 && reference.at().isEmpty() && reference.atParameter().isEmpty()
        && names.containsKey(parts.get(0).toLowerCase(Locale.ROOT));
  }

  /** The object's name as written last ({@code x} of {@code temp.main.x}). */
  static String objectName(TableReference reference) {
    List<String> parts = reference.nameParts();
    return parts.get(parts.size() - 1);
  }

  /** The DuckDB name of the session's existing temporary object a reference names, if there is one. */
  Optional<String> existing(TableReference reference) {
    if (!namesTemporary(reference) || catalog.isEmpty()) {
      return Optional.empty();
    }
    String stored = names.get(objectName(reference).toLowerCase(Locale.ROOT));
    return stored == null ? Optional.empty() : Optional.of(sqlName(catalog.get(), stored));
  }

  /** {@code "tarn_temp_..."."main"."x"}: a temporary object's name in the text DuckDB runs. */
  static String sqlName(String catalog, String name) {
    return ReadBinder.quote(catalog) + "." + ReadBinder.quote(SCHEMA) + "." + ReadBinder.quote(name);
  }
}
