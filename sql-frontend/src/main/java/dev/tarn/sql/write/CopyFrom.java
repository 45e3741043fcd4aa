package dev.tarn.sql.write;

import dev.tarn.sql.TableReference;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code COPY name [(columns)] FROM 'file' [(options)]}: appends a file's rows to a table.
 * ({@code COPY ... TO} only reads, and has no {@code TableWrite}.)
 */
public record CopyFrom(TableReference target, SqlSpan targetSpan) implements RowWrite {

  public CopyFrom {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(targetSpan, "targetSpan");
  }

  /** COPY takes no alias. */
  @Override
  public Optional<String> alias() {
    return Optional.empty();
  }

  /** COPY has no RETURNING clause. */
  @Override
  public Optional<SqlSpan> returningClause() {
    return Optional.empty();
  }
}
