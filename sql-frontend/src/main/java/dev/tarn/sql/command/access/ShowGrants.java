package dev.tarn.sql.command.access;

import java.util.Objects;
import java.util.Optional;

/** {@code SHOW GRANTS [FOR {USER u | ROLE r}]}: without FOR, every grant (admins) or the caller's own. */
public record ShowGrants(Optional<Grantee> grantee) implements AccessCommand {
  public ShowGrants {
    Objects.requireNonNull(grantee, "grantee");
  }

  @Override
  public String statementName() {
    return "SHOW GRANTS";
  }
}
