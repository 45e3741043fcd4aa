package dev.tarn.catalog;

import java.util.Objects;

/**
 * How one table differs between two references ({@code SHOW DIFF}).
 *
 * @param table the table
 * @param kind added, modified or removed, seen from {@code from} to {@code to}
 * @param fromMetadataLocation the Iceberg metadata file on the {@code from} side, null if absent
 * @param toMetadataLocation the Iceberg metadata file on the {@code to} side, null if absent
 */
public record TableChange(
    TableId table, Kind kind, String fromMetadataLocation, String toMetadataLocation) {
  public TableChange {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(kind, "kind");
  }

  public enum Kind {
    ADDED,
    MODIFIED,
    REMOVED
  }
}
