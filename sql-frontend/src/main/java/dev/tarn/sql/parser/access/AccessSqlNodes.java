package dev.tarn.sql.parser.access;

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
import dev.tarn.sql.command.access.Privilege;
import dev.tarn.sql.command.access.ProtectBranch;
import dev.tarn.sql.command.access.RevokePrivilege;
import dev.tarn.sql.command.access.RevokeRole;
import dev.tarn.sql.command.access.ShowGrants;
import dev.tarn.sql.command.access.ShowTokens;
import dev.tarn.sql.command.access.ShowUsers;
import java.util.Optional;
import org.apache.calcite.sql.SqlCreate;
import org.apache.calcite.sql.SqlDrop;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.checkerframework.checker.nullness.qual.Nullable;

/** Factories the access grammar's rules call (src/main/codegen/includes/accessCommands.ftl). */
public final class AccessSqlNodes {
  private AccessSqlNodes() {}

  /** Whether an unquoted word is TOKEN (a reserved word of JavaCC, so read as an identifier). */
  public static boolean isTokenWord(String image) {
    return "TOKEN".equalsIgnoreCase(image);
  }

  public static SqlCreate createUser(SqlParserPos pos, SqlIdentifier name, String password,
      @Nullable SqlIdentifier role) {
    return new SqlAccessCreate(pos, new CreateUser(name.getSimple(), password,
        Optional.ofNullable(role).map(SqlIdentifier::getSimple)));
  }

  public static SqlCreate createRole(SqlParserPos pos, SqlIdentifier name) {
    return new SqlAccessCreate(pos, new CreateRole(name.getSimple()));
  }

  public static SqlCreate createToken(SqlParserPos pos, SqlIdentifier name, SqlIdentifier user,
      @Nullable String expiresIn) {
    return new SqlAccessCreate(pos, new CreateToken(name.getSimple(), user.getSimple(),
        Optional.ofNullable(expiresIn)));
  }

  public static SqlDrop dropUser(SqlParserPos pos, boolean ifExists, SqlIdentifier name) {
    return new SqlAccessDrop(pos, new DropUser(name.getSimple(), ifExists), ifExists);
  }

  public static SqlDrop dropRole(SqlParserPos pos, boolean ifExists, SqlIdentifier name) {
    return new SqlAccessDrop(pos, new DropRole(name.getSimple(), ifExists), ifExists);
  }

  public static SqlDrop dropToken(SqlParserPos pos, boolean ifExists, SqlIdentifier name) {
    return new SqlAccessDrop(pos, new DropToken(name.getSimple(), ifExists), ifExists);
  }

  public static SqlNode alterUserPassword(SqlParserPos pos, SqlIdentifier name, String password) {
    return new SqlAccessStatement(pos, new AlterUserPassword(name.getSimple(), password));
  }

  public static SqlNode grantRole(SqlParserPos pos, SqlIdentifier role, SqlIdentifier user) {
    return new SqlAccessStatement(pos, new GrantRole(role.getSimple(), user.getSimple()));
  }

  public static SqlNode revokeRole(SqlParserPos pos, SqlIdentifier role, SqlIdentifier user) {
    return new SqlAccessStatement(pos, new RevokeRole(role.getSimple(), user.getSimple()));
  }

  /** {@code pattern} null means ALL BRANCHES. */
  public static SqlNode grant(SqlParserPos pos, Privilege privilege, @Nullable String pattern, Grantee grantee) {
    return new SqlAccessStatement(pos, new GrantPrivilege(privilege, Optional.ofNullable(pattern), grantee));
  }

  /** {@code pattern} null means ALL BRANCHES. */
  public static SqlNode revoke(SqlParserPos pos, Privilege privilege, @Nullable String pattern, Grantee grantee) {
    return new SqlAccessStatement(pos, new RevokePrivilege(privilege, Optional.ofNullable(pattern), grantee));
  }

  public static Grantee user(SqlIdentifier name) {
    return Grantee.user(name.getSimple());
  }

  public static Grantee role(SqlIdentifier name) {
    return Grantee.role(name.getSimple());
  }

  public static SqlNode showGrants(SqlParserPos pos, @Nullable Grantee grantee) {
    return new SqlAccessStatement(pos, new ShowGrants(Optional.ofNullable(grantee)));
  }

  public static SqlNode showTokens(SqlParserPos pos) {
    return new SqlAccessStatement(pos, new ShowTokens());
  }

  public static SqlNode showUsers(SqlParserPos pos) {
    return new SqlAccessStatement(pos, new ShowUsers());
  }

  public static SqlNode protectBranch(SqlParserPos pos, SqlIdentifier branch, boolean protect) {
    return new SqlAccessStatement(pos, new ProtectBranch(branch.getSimple(), protect));
  }
}
