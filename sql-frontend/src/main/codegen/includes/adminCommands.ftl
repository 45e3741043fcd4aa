<#--
  Tarn: administration statements (README, "Audit, sessions and query history").
-->

/**
 * Parses "SHOW AUDIT [LIMIT n]", "SHOW HISTORY [LIMIT n]", "SHOW QUERY HISTORY [LIMIT n]",
 * "SHOW SESSIONS" and "SHOW QUERIES".
 */
SqlNode SqlShowAdmin() :
{
    final Span s;
    SqlNumericLiteral limit = null;
}
{
    <SHOW> { s = span(); }
    (
        <AUDIT> [ <LIMIT> limit = UnsignedNumericLiteral() ]
        { return AdminSqlNodes.showAudit(s.end(this), limit); }
    |
        <HISTORY> [ <LIMIT> limit = UnsignedNumericLiteral() ]
        { return AdminSqlNodes.showHistory(s.end(this), limit); }
    |
        <QUERY> <HISTORY> [ <LIMIT> limit = UnsignedNumericLiteral() ]
        { return AdminSqlNodes.showHistory(s.end(this), limit); }
    |
        <SESSIONS> { return AdminSqlNodes.showSessions(s.end(this)); }
    |
        <QUERIES> { return AdminSqlNodes.showQueries(s.end(this)); }
    )
}

/** Parses "KILL QUERY 'id'" and "KILL SESSION 'id'". */
SqlNode SqlKill() :
{
    final Span s;
    final String id;
}
{
    <KILL> { s = span(); }
    (
        <QUERY> id = SimpleStringLiteral() { return AdminSqlNodes.killQuery(s.end(this), id); }
    |
        <SESSION> id = SimpleStringLiteral() { return AdminSqlNodes.killSession(s.end(this), id); }
    )
}
