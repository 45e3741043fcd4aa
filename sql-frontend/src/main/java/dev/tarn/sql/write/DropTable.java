package dev.tarn.sql.write;

import dev.tarn.sql.TableReference;
import java.util.Objects;

/** {@code DROP TABLE [IF EXISTS] name [CASCADE | RESTRICT]}. */
public record DropTable(TableReference target, boolean ifExists) implements TargetedWrite {

  public DropTable {
    Objects.requireNonNull(target, "target");
  }
}
