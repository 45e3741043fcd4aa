<#--
  Tarn: access statements (users, roles, tokens, privileges per reference pattern, protected
  branches). The statements become records of dev.tarn.sql.command.access; the core runs them.
  TOKEN is a reserved word of JavaCC itself, so it cannot be a token of the grammar: the word is
  read as an identifier whose text is TOKEN.
-->

/**
 * Parses "CREATE USER name PASSWORD 'secret' [IN ROLE role]", "CREATE ROLE name" and
 * "CREATE TOKEN name FOR USER user [EXPIRES IN '30 days']".
 */
SqlCreate SqlCreateAccessObject(Span s, boolean replace) :
{
    SqlIdentifier name;
    String password;
    SqlIdentifier role = null;
    SqlIdentifier user;
    String expires = null;
}
{
    {
        if (replace) {
            throw TarnSqlNodes.error(s.end(this), "CREATE OR REPLACE is not supported for users, roles and tokens");
        }
    }
    (
        <USER> name = SimpleIdentifier()
        <PASSWORD> password = SimpleStringLiteral()
        [ <IN> <ROLE> role = SimpleIdentifier() ]
        { return AccessSqlNodes.createUser(s.end(this), name, password, role); }
    |
        <ROLE> name = SimpleIdentifier()
        { return AccessSqlNodes.createRole(s.end(this), name); }
    |
        LOOKAHEAD({ AccessSqlNodes.isTokenWord(getToken(1).image) }) <IDENTIFIER> name = SimpleIdentifier()
        <FOR> <USER> user = SimpleIdentifier()
        [ <EXPIRES> <IN> expires = SimpleStringLiteral() ]
        { return AccessSqlNodes.createToken(s.end(this), name, user, expires); }
    )
}

/** Parses "DROP USER | ROLE | TOKEN [IF EXISTS] name". */
SqlDrop SqlDropAccessObject(Span s, boolean replace) :
{
    boolean ifExists;
    SqlIdentifier name;
}
{
    <USER> ifExists = TarnIfExistsOpt() name = SimpleIdentifier()
    { return AccessSqlNodes.dropUser(s.end(this), ifExists, name); }
|
    <ROLE> ifExists = TarnIfExistsOpt() name = SimpleIdentifier()
    { return AccessSqlNodes.dropRole(s.end(this), ifExists, name); }
|
    LOOKAHEAD({ AccessSqlNodes.isTokenWord(getToken(1).image) }) <IDENTIFIER> ifExists = TarnIfExistsOpt() name = SimpleIdentifier()
    { return AccessSqlNodes.dropToken(s.end(this), ifExists, name); }
}

/** Parses "ALTER USER name PASSWORD 'secret'". */
SqlNode SqlAccessAlterUser() :
{
    final Span s;
    final SqlIdentifier name;
    final String password;
}
{
    <ALTER> { s = span(); } <USER> name = SimpleIdentifier()
    <PASSWORD> password = SimpleStringLiteral()
    { return AccessSqlNodes.alterUserPassword(s.end(this), name, password); }
}

/**
 * Parses "GRANT privilege ON {BRANCH 'pattern' | ALL BRANCHES} TO {USER u | ROLE r}" and
 * "GRANT ROLE role TO USER user".
 */
SqlNode SqlAccessGrant() :
{
    final Span s;
    Privilege privilege;
    String pattern;
    Grantee grantee;
    SqlIdentifier role;
    SqlIdentifier user;
}
{
    <GRANT> { s = span(); }
    (
        <ROLE> role = SimpleIdentifier() <TO> <USER> user = SimpleIdentifier()
        { return AccessSqlNodes.grantRole(s.end(this), role, user); }
    |
        privilege = TarnPrivilege() <ON> pattern = TarnBranchPattern() <TO> grantee = TarnGrantee()
        { return AccessSqlNodes.grant(s.end(this), privilege, pattern, grantee); }
    )
}

/**
 * Parses "REVOKE privilege ON {BRANCH 'pattern' | ALL BRANCHES} FROM {USER u | ROLE r}" and
 * "REVOKE ROLE role FROM USER user".
 */
SqlNode SqlAccessRevoke() :
{
    final Span s;
    Privilege privilege;
    String pattern;
    Grantee grantee;
    SqlIdentifier role;
    SqlIdentifier user;
}
{
    <REVOKE> { s = span(); }
    (
        <ROLE> role = SimpleIdentifier() <FROM> <USER> user = SimpleIdentifier()
        { return AccessSqlNodes.revokeRole(s.end(this), role, user); }
    |
        privilege = TarnPrivilege() <ON> pattern = TarnBranchPattern() <FROM> grantee = TarnGrantee()
        { return AccessSqlNodes.revoke(s.end(this), privilege, pattern, grantee); }
    )
}

/** Parses READ | WRITE | BRANCH | MERGE | RUN | ADMIN. */
Privilege TarnPrivilege() :
{
}
{
    <READ> { return Privilege.READ; }
|
    <WRITE> { return Privilege.WRITE; }
|
    <BRANCH> { return Privilege.BRANCH; }
|
    <MERGE> { return Privilege.MERGE; }
|
    <RUN> { return Privilege.RUN; }
|
    <ADMIN> { return Privilege.ADMIN; }
}

/** Parses "BRANCH 'pattern'" (the pattern) or "ALL BRANCHES" (null). */
String TarnBranchPattern() :
{
    final String pattern;
}
{
    <BRANCH> pattern = SimpleStringLiteral() { return pattern; }
|
    <ALL> <BRANCHES> { return null; }
}

/** Parses "USER name" or "ROLE name". */
Grantee TarnGrantee() :
{
    final SqlIdentifier name;
}
{
    <USER> name = SimpleIdentifier() { return AccessSqlNodes.user(name); }
|
    <ROLE> name = SimpleIdentifier() { return AccessSqlNodes.role(name); }
}

/** Parses "SHOW GRANTS [FOR {USER u | ROLE r}]", "SHOW TOKENS" and "SHOW USERS". */
SqlNode SqlAccessShow() :
{
    final Span s;
    Grantee grantee = null;
}
{
    <SHOW> { s = span(); }
    (
        <GRANTS> [ <FOR> grantee = TarnGrantee() ]
        { return AccessSqlNodes.showGrants(s.end(this), grantee); }
    |
        <TOKENS> { return AccessSqlNodes.showTokens(s.end(this)); }
    |
        <USERS> { return AccessSqlNodes.showUsers(s.end(this)); }
    )
}

/** Parses "PROTECT BRANCH name" and "UNPROTECT BRANCH name". */
SqlNode SqlAccessProtect() :
{
    final Span s;
    final boolean protect;
    final SqlIdentifier branch;
}
{
    (
        <PROTECT> { s = span(); protect = true; }
    |
        <UNPROTECT> { s = span(); protect = false; }
    )
    <BRANCH> branch = SimpleIdentifier()
    { return AccessSqlNodes.protectBranch(s.end(this), branch, protect); }
}
