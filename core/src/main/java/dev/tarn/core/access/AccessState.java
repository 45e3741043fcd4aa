package dev.tarn.core.access;

import dev.tarn.sql.command.access.Grantee;
import dev.tarn.sql.command.access.Privilege;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Everything access control knows, as one immutable value: users (with their password hashes and
 * roles), roles, grants, API tokens (hashed) and protected branches. A change makes a new state,
 * which {@link AccessStore} writes whole, so readers never see half a change.
 */
public record AccessState(Map<String, User> users, Set<String> roles, List<Grant> grants,
    Map<String, Token> tokens, Set<String> protectedBranches) {

  /** A user created by CREATE USER (the bootstrap admin is not one: its password comes from the server's flags). */
  public record User(String name, String passwordHash, List<String> roles) {
    public User {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(passwordHash, "passwordHash");
      roles = List.copyOf(roles);
    }
  }

  /** A privilege on the references matching a pattern, for a user or a role. */
  public record Grant(Privilege privilege, String pattern, Grantee.Kind granteeKind, String grantee) {
    public Grant {
      Objects.requireNonNull(privilege, "privilege");
      Objects.requireNonNull(pattern, "pattern");
      Objects.requireNonNull(granteeKind, "granteeKind");
      Objects.requireNonNull(grantee, "grantee");
    }

    public ReferencePattern referencePattern() {
      return new ReferencePattern(pattern);
    }

    public boolean isFor(Grantee who) {
      return granteeKind == who.kind() && grantee.equals(who.name());
    }
  }

  /**
   * An API token: only the SHA-256 of its secret is kept.
   *
   * @param createdAt and {@code expiresAt} are ISO-8601 instants; {@code expiresAt} is null for a token that never expires
   */
  public record Token(String name, String user, String secretHash, String createdAt, String expiresAt) {
    public Token {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(user, "user");
      Objects.requireNonNull(secretHash, "secretHash");
      Objects.requireNonNull(createdAt, "createdAt");
    }
  }

  public AccessState {
    users = Map.copyOf(users == null ? Map.of() : users);
    roles = Set.copyOf(roles == null ? Set.of() : roles);
    grants = List.copyOf(grants == null ? List.of() : grants);
    tokens = Map.copyOf(tokens == null ? Map.of() : tokens);
    protectedBranches = Set.copyOf(protectedBranches == null ? Set.of() : protectedBranches);
  }

  public static AccessState empty() {
    return new AccessState(Map.of(), Set.of(), List.of(), Map.of(), Set.of());
  }

  /** Sorted copies, so the file lists its entries in a stable order. */
  public Map<String, User> sortedUsers() {
    return new TreeMap<>(users);
  }

  public Map<String, Token> sortedTokens() {
    return new TreeMap<>(tokens);
  }

  public Set<String> sortedRoles() {
    return new TreeSet<>(roles);
  }

  public AccessState withUsers(Consumer<Map<String, User>> change) {
    Map<String, User> copy = new TreeMap<>(users);
    change.accept(copy);
    return new AccessState(copy, roles, grants, tokens, protectedBranches);
  }

  public AccessState withRoles(Consumer<Set<String>> change) {
    Set<String> copy = new TreeSet<>(roles);
    change.accept(copy);
    return new AccessState(users, copy, grants, tokens, protectedBranches);
  }

  public AccessState withGrants(Consumer<List<Grant>> change) {
    List<Grant> copy = new ArrayList<>(grants);
    change.accept(copy);
    return new AccessState(users, roles, copy, tokens, protectedBranches);
  }

  public AccessState withTokens(Consumer<Map<String, Token>> change) {
    Map<String, Token> copy = new TreeMap<>(tokens);
    change.accept(copy);
    return new AccessState(users, roles, grants, copy, protectedBranches);
  }

  public AccessState withProtectedBranches(Consumer<Set<String>> change) {
    Set<String> copy = new TreeSet<>(protectedBranches);
    change.accept(copy);
    return new AccessState(users, roles, grants, tokens, copy);
  }
}
