package dev.tarn.catalog;

import java.util.Objects;

/**
 * A view at a commit: its SQL as written, and the schema its unqualified names resolve in.
 *
 * @param id the view's schema and name
 * @param sql the view's query, as its creator wrote it (DuckDB's dialect)
 * @param defaultNamespace the schema the creator's session was in: unqualified names in {@code sql} are its
 * @param metadataLocation the Iceberg view metadata file the catalog keeps for it
 */
public record ViewEntry(TableId id, String sql, String defaultNamespace, String metadataLocation) {
  public ViewEntry {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(sql, "sql");
    Objects.requireNonNull(defaultNamespace, "defaultNamespace");
  }
}
