package dev.tarn.sql.command.access;

import java.util.Objects;

/** Who a grant is for: {@code USER name} or {@code ROLE name}. */
public record Grantee(Kind kind, String name) {
  public enum Kind {
    USER,
    ROLE
  }

  public Grantee {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
  }

  public static Grantee user(String name) {
    return new Grantee(Kind.USER, name);
  }

  public static Grantee role(String name) {
    return new Grantee(Kind.ROLE, name);
  }

  /** As written in SQL and shown to users: {@code USER ana}, {@code ROLE analysts}. */
  public String describe() {
    return kind.name() + " " + name;
  }
}
