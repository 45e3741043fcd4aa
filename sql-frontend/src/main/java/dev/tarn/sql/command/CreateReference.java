package dev.tarn.sql.command;

import java.util.Objects;
import java.util.Optional;

/**
 * {@code CREATE BRANCH|TAG [IF NOT EXISTS] name [FROM reference [AT COMMIT 'hash']] [IN catalog]},
 * also {@code CREATE BRANCH b AT BRANCH r}.
 *
 * @param type {@link ReferenceType#BRANCH} or {@link ReferenceType#TAG}
 * @param from where the new reference points; absent means the session's current reference
 */
public record CreateReference(
    ReferenceType type,
    String name,
    boolean ifNotExists,
    Optional<ReferenceSpec> from,
    Optional<String> catalog)
    implements ReferenceCommand {

  public CreateReference {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(catalog, "catalog");
    if (type == ReferenceType.ANY) {
      throw new IllegalArgumentException("CREATE needs BRANCH or TAG");
    }
  }

  public CreateReference(ReferenceType type, String name, boolean ifNotExists, Optional<ReferenceSpec> from) {
    this(type, name, ifNotExists, from, Optional.empty());
  }

  @Override
  public String statementName() {
    return "CREATE " + type.keyword();
  }
}
