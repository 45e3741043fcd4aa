package dev.tarn.sql.command.access;

import java.util.Objects;
import java.util.Optional;

/**
 * {@code REVOKE privilege ON {BRANCH 'pattern' | ALL BRANCHES} FROM {USER u | ROLE r}}: removes the
 * grant with exactly that privilege, pattern and grantee.
 */
public record RevokePrivilege(Privilege privilege, Optional<String> pattern, Grantee grantee)
    implements AccessCommand {
  public RevokePrivilege {
    Objects.requireNonNull(privilege, "privilege");
    Objects.requireNonNull(pattern, "pattern");
    Objects.requireNonNull(grantee, "grantee");
  }

  @Override
  public String statementName() {
    return "REVOKE";
  }

  @Override
  public String redacted() {
    return "REVOKE " + privilege + " ON " + pattern.map(p -> "BRANCH '" + p + "'").orElse("ALL BRANCHES") + " FROM "
        + grantee.describe();
  }
}
