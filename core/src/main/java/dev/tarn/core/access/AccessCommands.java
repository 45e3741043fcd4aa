package dev.tarn.core.access;

import dev.tarn.core.TarnException;
import dev.tarn.core.TarnException.Kind;
import dev.tarn.core.lakehouse.CommandResult;
import dev.tarn.sql.command.access.AccessCommand;
import dev.tarn.sql.command.access.AlterUserPassword;
import dev.tarn.sql.command.access.CreateRole;
import dev.tarn.sql.command.access.CreateToken;
import dev.tarn.sql.command.access.CreateUser;
import dev.tarn.sql.command.access.DropRole;
import dev.tarn.sql.command.access.DropToken;
import dev.tarn.sql.command.access.DropUser;
import dev.tarn.sql.command.access.GrantPrivilege;
import dev.tarn.sql.command.access.GrantRole;
import dev.tarn.sql.command.access.Grantee;
import dev.tarn.sql.command.access.ProtectBranch;
import dev.tarn.sql.command.access.RevokePrivilege;
import dev.tarn.sql.command.access.RevokeRole;
import dev.tarn.sql.command.access.ShowGrants;
import dev.tarn.sql.command.access.ShowTokens;
import dev.tarn.sql.command.access.ShowUsers;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Runs the access statements. Managing users, roles, grants, protection and other users' tokens
 * needs ADMIN on ALL BRANCHES; a user may change their own password, make and drop their own
 * tokens, and see their own grants and tokens.
 */
public final class AccessCommands {
  /** Users, roles and tokens have names of at most this many characters. */
  public static final int MAX_NAME = 128;
  /** At most this many tokens in all, so a loop of CREATE TOKEN cannot grow the file without end. */
  public static final int MAX_TOKENS = 10_000;

  static final Schema TOKEN_CREATED = schema(text("token_name"), text("user_name"), text("secret"),
      timestamp("expires_at"));
  static final Schema TOKENS = schema(text("token_name"), text("user_name"), timestamp("created_at"),
      timestamp("expires_at"), bool("expired"));
  static final Schema GRANTS = schema(text("grantee_type"), text("grantee"), text("privilege"), text("on_references"));
  static final Schema USERS = schema(text("user_name"), text("roles"), bool("admin"));

  private final AccessControl access;

  public AccessCommands(AccessControl access) {
    this.access = access;
  }

  /** The schema of a statement's rows; empty for statements that return none. */
  public static Schema resultSchema(AccessCommand command) {
    if (command instanceof CreateToken) {
      return TOKEN_CREATED;
    } else if (command instanceof ShowTokens) {
      return TOKENS;
    } else if (command instanceof ShowGrants) {
      return GRANTS;
    } else if (command instanceof ShowUsers) {
      return USERS;
    }
    return new Schema(List.of());
  }

  /** Runs {@code command} for {@code caller}. */
  public CommandResult execute(AccessCommand command, String caller) {
    if (command instanceof CreateUser c) {
      return createUser(c, caller);
    } else if (command instanceof DropUser d) {
      return dropUser(d, caller);
    } else if (command instanceof AlterUserPassword a) {
      return alterPassword(a, caller);
    } else if (command instanceof CreateRole c) {
      return createRole(c, caller);
    } else if (command instanceof DropRole d) {
      return dropRole(d, caller);
    } else if (command instanceof GrantRole g) {
      return grantRole(g, caller);
    } else if (command instanceof RevokeRole r) {
      return revokeRole(r, caller);
    } else if (command instanceof CreateToken c) {
      return createToken(c, caller);
    } else if (command instanceof DropToken d) {
      return dropToken(d, caller);
    } else if (command instanceof ShowTokens) {
      return showTokens(caller);
    } else if (command instanceof ShowUsers) {
      return showUsers(caller);
    } else if (command instanceof GrantPrivilege g) {
      return grant(g, caller);
    } else if (command instanceof RevokePrivilege r) {
      return revoke(r, caller);
    } else if (command instanceof ShowGrants s) {
      return showGrants(s, caller);
    } else if (command instanceof ProtectBranch p) {
      return protect(p, caller);
    }
    throw new IllegalArgumentException("unknown access statement " + command.statementName());
  }

  // ---- users and roles ----

  private CommandResult createUser(CreateUser c, String caller) {
    access.requireAdmin(caller, "CREATE USER");
    checkName("user", c.name());
    String hash = Passwords.hash(c.password());
    access.update(state -> {
      if (AccessControl.SYSTEM_USER.equals(c.name())) {
        throw new TarnException(Kind.INVALID_ARGUMENT, "user name " + c.name() + " is reserved for the server's"
            + " own commits");
      }
      if (state.users().containsKey(c.name()) || isBootstrap(c.name())) {
        throw new TarnException(Kind.INVALID_ARGUMENT, "user " + c.name() + " already exists");
      }
      c.role().ifPresent(role -> requireRole(state, role));
      return state.withUsers(users -> users.put(c.name(),
          new AccessState.User(c.name(), hash, c.role().map(List::of).orElse(List.of()))));
    });
    return CommandResult.none();
  }

  private CommandResult dropUser(DropUser d, String caller) {
    access.requireAdmin(caller, "DROP USER");
    if (isBootstrap(d.name())) {
      throw new TarnException(Kind.INVALID_ARGUMENT, "user " + d.name() + " is the admin the server was started"
          + " with (--user) and cannot be dropped");
    }
    access.update(state -> {
      if (!state.users().containsKey(d.name())) {
        if (d.ifExists()) {
          return state;
        }
        throw new TarnException(Kind.NOT_FOUND, "user " + d.name() + " does not exist");
      }
      return state.withUsers(users -> users.remove(d.name()))
          .withGrants(grants -> grants.removeIf(g -> g.isFor(Grantee.user(d.name()))))
          .withTokens(tokens -> tokens.values().removeIf(t -> t.user().equals(d.name())));
    });
    return CommandResult.none();
  }

  private CommandResult alterPassword(AlterUserPassword a, String caller) {
    if (!a.name().equals(caller)) {
      access.requireAdmin(caller, "changing another user's password");
    }
    if (isBootstrap(a.name())) {
      throw new TarnException(Kind.INVALID_ARGUMENT, "the password of " + a.name() + ", the admin the server was"
          + " started with, is the one --password-env names; change it there and restart");
    }
    String hash = Passwords.hash(a.password());
    access.update(state -> {
      AccessState.User user = requireUser(state, a.name());
      return state.withUsers(users -> users.put(a.name(), new AccessState.User(a.name(), hash, user.roles())));
    });
    return CommandResult.none();
  }

  private CommandResult createRole(CreateRole c, String caller) {
    access.requireAdmin(caller, "CREATE ROLE");
    checkName("role", c.name());
    access.update(state -> {
      if (state.roles().contains(c.name())) {
        throw new TarnException(Kind.INVALID_ARGUMENT, "role " + c.name() + " already exists");
      }
      return state.withRoles(roles -> roles.add(c.name()));
    });
    return CommandResult.none();
  }

  private CommandResult dropRole(DropRole d, String caller) {
    access.requireAdmin(caller, "DROP ROLE");
    access.update(state -> {
      if (!state.roles().contains(d.name())) {
        if (d.ifExists()) {
          return state;
        }
        throw new TarnException(Kind.NOT_FOUND, "role " + d.name() + " does not exist");
      }
      return state.withRoles(roles -> roles.remove(d.name()))
          .withGrants(grants -> grants.removeIf(g -> g.isFor(Grantee.role(d.name()))))
          .withUsers(users -> users.replaceAll((name, u) -> new AccessState.User(name, u.passwordHash(),
              u.roles().stream().filter(r -> !r.equals(d.name())).toList())));
    });
    return CommandResult.none();
  }

  private CommandResult grantRole(GrantRole g, String caller) {
    access.requireAdmin(caller, "GRANT ROLE");
    access.update(state -> {
      requireRole(state, g.role());
      AccessState.User user = requireUser(state, g.user());
      if (user.roles().contains(g.role())) {
        return state;
      }
      List<String> roles = new ArrayList<>(user.roles());
      roles.add(g.role());
      return state.withUsers(users -> users.put(g.user(), new AccessState.User(g.user(), user.passwordHash(), roles)));
    });
    return CommandResult.none();
  }

  private CommandResult revokeRole(RevokeRole r, String caller) {
    access.requireAdmin(caller, "REVOKE ROLE");
    access.update(state -> {
      AccessState.User user = requireUser(state, r.user());
      return state.withUsers(users -> users.put(r.user(), new AccessState.User(r.user(), user.passwordHash(),
          user.roles().stream().filter(role -> !role.equals(r.role())).toList())));
    });
    return CommandResult.none();
  }

  // ---- tokens ----

  private CommandResult createToken(CreateToken c, String caller) {
    if (!c.user().equals(caller)) {
      access.requireAdmin(caller, "making a token for another user");
    }
    checkName("token", c.name());
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    Optional<Instant> expires = c.expiresIn().map(text -> now.plus(ApiTokens.lifetime(text)));
    String secret = ApiTokens.newSecret();
    access.update(state -> {
      if (!isBootstrap(c.user())) {
        requireUser(state, c.user());
      }
      if (state.tokens().containsKey(c.name())) {
        throw new TarnException(Kind.INVALID_ARGUMENT, "token " + c.name() + " already exists; DROP TOKEN "
            + c.name() + " first, or pick another name");
      }
      if (state.tokens().size() >= MAX_TOKENS) {
        throw new TarnException(Kind.RESOURCE_EXHAUSTED, "there are already " + MAX_TOKENS
            + " tokens, the most this server keeps; drop unused ones");
      }
      return state.withTokens(tokens -> tokens.put(c.name(), new AccessState.Token(c.name(), c.user(),
          ApiTokens.hash(secret), now.toString(), expires.map(Instant::toString).orElse(null))));
    });
    return new CommandResult(TOKEN_CREATED, List.<Object[]>of(new Object[] {c.name(), c.user(), secret,
        expires.orElse(null)}));
  }

  private CommandResult dropToken(DropToken d, String caller) {
    access.update(state -> {
      AccessState.Token token = state.tokens().get(d.name());
      if (token == null) {
        if (d.ifExists()) {
          return state;
        }
        throw new TarnException(Kind.NOT_FOUND, "token " + d.name() + " does not exist");
      }
      if (!token.user().equals(caller)) {
        access.requireAdmin(caller, "dropping another user's token");
      }
      return state.withTokens(tokens -> tokens.remove(d.name()));
    });
    return CommandResult.none();
  }

  private CommandResult showTokens(String caller) {
    boolean admin = access.isAdmin(caller);
    Instant now = Instant.now();
    List<Object[]> rows = new ArrayList<>();
    for (AccessState.Token t : access.state().sortedTokens().values()) {
      if (admin || t.user().equals(caller)) {
        Instant expires = t.expiresAt() == null ? null : Instant.parse(t.expiresAt());
        rows.add(new Object[] {t.name(), t.user(), Instant.parse(t.createdAt()), expires,
            expires != null && !now.isBefore(expires)});
      }
    }
    return new CommandResult(TOKENS, rows);
  }

  // ---- grants ----

  private CommandResult grant(GrantPrivilege g, String caller) {
    access.requireAdmin(caller, "GRANT");
    ReferencePattern pattern = g.pattern().map(ReferencePattern::new).orElse(ReferencePattern.ALL);
    AccessState.Grant grant = new AccessState.Grant(g.privilege(), pattern.glob(), g.grantee().kind(),
        g.grantee().name());
    access.update(state -> {
      requireGrantee(state, g.grantee());
      return state.grants().contains(grant) ? state : state.withGrants(grants -> grants.add(grant));
    });
    return CommandResult.none();
  }

  private CommandResult revoke(RevokePrivilege r, String caller) {
    access.requireAdmin(caller, "REVOKE");
    ReferencePattern pattern = r.pattern().map(ReferencePattern::new).orElse(ReferencePattern.ALL);
    AccessState.Grant grant = new AccessState.Grant(r.privilege(), pattern.glob(), r.grantee().kind(),
        r.grantee().name());
    access.update(state -> {
      if (!state.grants().contains(grant)) {
        throw new TarnException(Kind.NOT_FOUND, r.grantee().describe() + " holds no " + r.privilege() + " ON "
            + pattern.describe() + "; SHOW GRANTS FOR " + r.grantee().describe() + " lists what it holds");
      }
      return state.withGrants(grants -> grants.remove(grant));
    });
    return CommandResult.none();
  }

  private CommandResult showGrants(ShowGrants s, String caller) {
    AccessState state = access.state();
    boolean admin = access.isAdmin(caller);
    Optional<Grantee> only = s.grantee();
    if (!admin) {
      Grantee self = Grantee.user(caller);
      AccessState.User me = state.users().get(caller);
      boolean own = only.isEmpty() || only.get().equals(self)
          || only.get().kind() == Grantee.Kind.ROLE && me != null && me.roles().contains(only.get().name());
      if (!own) {
        access.requireAdmin(caller, "SHOW GRANTS for another user or a role you are not in");
      }
    }
    List<Object[]> rows = new ArrayList<>();
    AccessState.User subject = only.filter(g -> g.kind() == Grantee.Kind.USER).map(g -> state.users().get(g.name()))
        .orElse(admin || only.isPresent() ? null : state.users().get(caller));
    for (AccessState.Grant g : state.grants()) {
      boolean wanted;
      if (only.isPresent() && only.get().kind() == Grantee.Kind.ROLE) {
        wanted = g.isFor(only.get());
      } else if (only.isPresent() || !admin) {
        String user = only.map(Grantee::name).orElse(caller);
        // a user's grants: their own and their roles'
        wanted = g.isFor(Grantee.user(user)) || subject != null && g.granteeKind() == Grantee.Kind.ROLE
            && subject.roles().contains(g.grantee());
      } else {
        wanted = true;
      }
      if (wanted) {
        rows.add(new Object[] {g.granteeKind().name(), g.grantee(), g.privilege().name(),
            g.referencePattern().describe()});
      }
    }
    return new CommandResult(GRANTS, rows);
  }

  private CommandResult showUsers(String caller) {
    access.requireAdmin(caller, "SHOW USERS");
    List<Object[]> rows = new ArrayList<>();
    access.bootstrapAdmin().ifPresent(admin -> rows.add(new Object[] {admin, "", true}));
    for (AccessState.User u : access.state().sortedUsers().values()) {
      rows.add(new Object[] {u.name(), String.join(", ", u.roles()), access.isAdmin(u.name())});
    }
    return new CommandResult(USERS, rows);
  }

  private CommandResult protect(ProtectBranch p, String caller) {
    access.requireAdmin(caller, p.statementName());
    checkName("branch", p.branch());
    access.update(state -> state.withProtectedBranches(branches -> {
      if (p.protect()) {
        branches.add(p.branch());
      } else {
        branches.remove(p.branch());
      }
    }));
    return CommandResult.none();
  }

  // ---- helpers ----

  private boolean isBootstrap(String name) {
    return access.bootstrapAdmin().map(name::equals).orElse(false);
  }

  private static AccessState.User requireUser(AccessState state, String name) {
    AccessState.User user = state.users().get(name);
    if (user == null) {
      throw new TarnException(Kind.NOT_FOUND, "user " + name + " does not exist; SHOW USERS lists them");
    }
    return user;
  }

  private static void requireRole(AccessState state, String name) {
    if (!state.roles().contains(name)) {
      throw new TarnException(Kind.NOT_FOUND, "role " + name + " does not exist; CREATE ROLE " + name + " first");
    }
  }

  private void requireGrantee(AccessState state, Grantee grantee) {
    if (grantee.kind() == Grantee.Kind.ROLE) {
      requireRole(state, grantee.name());
    } else if (!isBootstrap(grantee.name())) {
      requireUser(state, grantee.name());
    }
  }

  static void checkName(String what, String name) {
    if (name.isBlank()) {
      throw new TarnException(Kind.INVALID_ARGUMENT, "a " + what + " name is empty");
    }
    if (name.length() > MAX_NAME) {
      throw new TarnException(Kind.INVALID_ARGUMENT, "a " + what + " name is " + name.length()
          + " characters long; the limit is " + MAX_NAME);
    }
    if (name.codePoints().anyMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT)) {
      throw new TarnException(Kind.INVALID_ARGUMENT, "a " + what + " name holds a control or invisible character");
    }
  }

  private static Schema schema(Field... fields) {
    return new Schema(List.of(fields));
  }

  private static Field text(String name) {
    return new Field(name, FieldType.nullable(ArrowType.Utf8.INSTANCE), null);
  }

  private static Field bool(String name) {
    return new Field(name, FieldType.nullable(ArrowType.Bool.INSTANCE), null);
  }

  private static Field timestamp(String name) {
    return new Field(name, FieldType.nullable(new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC")), null);
  }
}
