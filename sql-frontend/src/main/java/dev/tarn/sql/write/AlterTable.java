package dev.tarn.sql.write;

import dev.tarn.sql.TableReference;
import java.util.List;
import java.util.Objects;

/**
 * {@code ALTER TABLE [IF EXISTS] name action [, action ...]}.
 *
 * @param actions the actions in order (DuckDB takes one; PostgreSQL's comma-separated list is accepted)
 */
public record AlterTable(TableReference target, List<AlterAction> actions, boolean ifExists)
    implements TargetedWrite {

  public AlterTable {
    Objects.requireNonNull(target, "target");
    actions = List.copyOf(actions);
  }

  public AlterTable(TableReference target, List<AlterAction> actions) {
    this(target, actions, false);
  }
}
