package dev.tarn.core.access;

import dev.tarn.sql.command.access.Grantee;
import dev.tarn.sql.command.access.Privilege;
import java.util.Optional;

/**
 * Who holds what, read from one {@link AccessState}: a user holds a privilege on a reference when a
 * grant to them or to one of their roles names that privilege, or ADMIN, with a pattern matching the
 * reference. ADMIN on ALL BRANCHES makes a user an administrator (users, roles, grants, tokens,
 * protection). The bootstrap admin holds everything.
 */
public final class Privileges {
  private final AccessState state;
  private final Optional<String> bootstrapAdmin;

  public Privileges(AccessState state, Optional<String> bootstrapAdmin) {
    this.state = state;
    this.bootstrapAdmin = bootstrapAdmin;
  }

  public boolean isBootstrapAdmin(String user) {
    return bootstrapAdmin.isPresent() && bootstrapAdmin.get().equals(user);
  }

  public boolean userExists(String user) {
    return isBootstrapAdmin(user) || state.users().containsKey(user);
  }

  public boolean holds(String user, Privilege privilege, String reference) {
    if (isBootstrapAdmin(user)) {
      return true;
    }
    AccessState.User entry = state.users().get(user);
    if (entry == null) {
      return false;
    }
    for (AccessState.Grant grant : state.grants()) {
      if (!appliesTo(grant, entry)) {
        continue;
      }
      if ((grant.privilege() == privilege || grant.privilege() == Privilege.ADMIN)
          && grant.referencePattern().matches(reference, user)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The reference patterns on which {@code user} holds {@code privilege} (or ADMIN), as granted: to
   * tell someone refused where they may act instead.
   */
  public java.util.List<String> patternsFor(String user, Privilege privilege) {
    if (isBootstrapAdmin(user)) {
      return java.util.List.of("*");
    }
    AccessState.User entry = state.users().get(user);
    if (entry == null) {
      return java.util.List.of();
    }
    return state.grants().stream()
        .filter(g -> (g.privilege() == privilege || g.privilege() == Privilege.ADMIN) && appliesTo(g, entry))
        .map(g -> g.referencePattern().forUser(user)).distinct().sorted().toList();
  }

  /** An administrator: the bootstrap admin, or a holder of ADMIN on ALL BRANCHES. */
  public boolean isAdmin(String user) {
    return holdsOnAll(user, Privilege.ADMIN);
  }

  /** Whether {@code user} holds {@code privilege} (or ADMIN) through a grant on ALL BRANCHES. */
  public boolean holdsOnAll(String user, Privilege privilege) {
    if (isBootstrapAdmin(user)) {
      return true;
    }
    AccessState.User entry = state.users().get(user);
    return entry != null && state.grants().stream().anyMatch(g -> (g.privilege() == privilege
        || g.privilege() == Privilege.ADMIN) && g.referencePattern().isAll() && appliesTo(g, entry));
  }

  private static boolean appliesTo(AccessState.Grant grant, AccessState.User user) {
    return grant.isFor(Grantee.user(user.name()))
        || grant.granteeKind() == Grantee.Kind.ROLE && user.roles().contains(grant.grantee());
  }
}
