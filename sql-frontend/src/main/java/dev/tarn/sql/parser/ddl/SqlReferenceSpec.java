package dev.tarn.sql.parser.ddl;

import dev.tarn.sql.command.ReferenceSpec;
import dev.tarn.sql.command.ReferenceType;
import java.util.Objects;
import java.util.Optional;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A reference as written inside a statement: {@code [BRANCH|TAG|REFERENCE] name [AT COMMIT 'hash' |
 * AT TIMESTAMP 'ts']}. Not a node of its own; the statement nodes hold it and unparse it.
 */
public final class SqlReferenceSpec {
  private final @Nullable SqlIdentifier name;
  private final ReferenceType type;
  private final @Nullable String commitHash;
  private final @Nullable String timestamp;

  SqlReferenceSpec(@Nullable SqlIdentifier name, ReferenceType type, @Nullable String commitHash,
      @Nullable String timestamp) {
    this.name = name;
    this.type = Objects.requireNonNull(type, "type");
    this.commitHash = commitHash;
    this.timestamp = timestamp;
  }

  /** The name, or null for a table's own history ({@code t AT COMMIT '...'}). */
  public @Nullable SqlIdentifier name() {
    return name;
  }

  public ReferenceType type() {
    return type;
  }

  public ReferenceSpec toSpec() {
    return new ReferenceSpec(
        name == null ? ReferenceSpec.CURRENT : name.getSimple(),
        type,
        Optional.ofNullable(commitHash),
        Optional.ofNullable(timestamp));
  }

  /**
   * Writes the reference.
   *
   * @param typeKeyword write BRANCH, TAG or REFERENCE before the name (always written for BRANCH and TAG)
   */
  void unparse(SqlWriter writer, boolean typeKeyword) {
    if (name != null) {
      if (typeKeyword || type != ReferenceType.ANY) {
        writer.keyword(type.keyword());
      }
      name.unparse(writer, 0, 0);
    }
    if (commitHash != null) {
      writer.keyword("AT COMMIT");
      SqlLiteral.createCharString(commitHash, SqlParserPos.ZERO).unparse(writer, 0, 0);
    } else if (timestamp != null) {
      writer.keyword("AT TIMESTAMP");
      SqlLiteral.createCharString(timestamp, SqlParserPos.ZERO).unparse(writer, 0, 0);
    }
  }
}
