package dev.tarn.sql.command.access;

import java.util.Objects;
import java.util.Optional;

/**
 * {@code CREATE TOKEN name FOR USER user [EXPIRES IN '30 days']}: returns the secret once.
 *
 * @param expiresIn the literal after EXPIRES IN, as written ({@code '30 days'}); absent: never expires
 */
public record CreateToken(String name, String user, Optional<String> expiresIn) implements AccessCommand {
  public CreateToken {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(expiresIn, "expiresIn");
  }

  @Override
  public String statementName() {
    return "CREATE TOKEN";
  }

  @Override
  public String redacted() {
    return "CREATE TOKEN " + name + " FOR USER " + user + expiresIn.map(e -> " EXPIRES IN '" + e + "'").orElse("");
  }
}
