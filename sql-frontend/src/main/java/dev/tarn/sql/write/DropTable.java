package dev.tarn.sql.write;

import dev.tarn.sql.TableReference;
import java.util.Objects;

/**
 * {@code DROP TABLE | VIEW [IF EXISTS] name [CASCADE | RESTRICT]}.
 *
 * @param view {@code DROP VIEW}: only the session's temporary views can be dropped so far
 */
public record DropTable(TableReference target, boolean ifExists, boolean view) implements TargetedWrite {

  public DropTable {
    Objects.requireNonNull(target, "target");
  }
}
