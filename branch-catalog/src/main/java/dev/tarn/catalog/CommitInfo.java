package dev.tarn.catalog;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One commit of the catalog, as {@code SHOW LOG} prints it.
 *
 * @param hash full commit hash
 * @param parentHash the first parent's hash (the previous commit on the branch it was made on)
 * @param author who made it (the authenticated user)
 * @param committedAt when it was made
 * @param message the statement text or a generated description
 * @param tablesChanged tables created, changed or dropped by it, sorted
 */
public record CommitInfo(
    String hash,
    String parentHash,
    String author,
    Instant committedAt,
    String message,
    List<TableId> tablesChanged) {
  public CommitInfo {
    Objects.requireNonNull(hash, "hash");
    tablesChanged = List.copyOf(tablesChanged);
  }
}
