package dev.tarn.sql.command.access;

import java.util.Objects;
import java.util.Optional;

/**
 * {@code GRANT privilege ON {BRANCH 'pattern' | ALL BRANCHES} TO {USER u | ROLE r}}.
 *
 * @param pattern a glob over reference names ({@code dev_*}); absent means ALL BRANCHES
 */
public record GrantPrivilege(Privilege privilege, Optional<String> pattern, Grantee grantee)
    implements AccessCommand {
  public GrantPrivilege {
    Objects.requireNonNull(privilege, "privilege");
    Objects.requireNonNull(pattern, "pattern");
    Objects.requireNonNull(grantee, "grantee");
  }

  @Override
  public String statementName() {
    return "GRANT";
  }

  @Override
  public String redacted() {
    return "GRANT " + privilege + " ON " + pattern.map(p -> "BRANCH '" + p + "'").orElse("ALL BRANCHES") + " TO "
        + grantee.describe();
  }
}
