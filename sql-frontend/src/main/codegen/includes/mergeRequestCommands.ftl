<#--
  Tarn: merge requests. A branch's changes wait for a person holding MERGE on the target to approve
  them; agents propose, people decide. The statements become records of dev.tarn.sql.command.
-->

/** Parses "MERGE REQUEST FROM source INTO target [TITLE 'text'] [PROJECT 'path']" after CREATE. */
SqlCreate SqlCreateMergeRequest(Span s, boolean replace) :
{
    final SqlIdentifier source;
    final SqlIdentifier target;
    String title = null;
    String project = null;
}
{
    <MERGE> <REQUEST> {
        if (replace) {
            throw TarnSqlNodes.error(s.end(this), "CREATE OR REPLACE is not supported for merge requests");
        }
    }
    <FROM> source = SimpleIdentifier()
    <INTO> target = SimpleIdentifier()
    [ <TITLE> title = SimpleStringLiteral() ]
    [ <PROJECT> project = SimpleStringLiteral() ]
    { return TarnSqlNodes.createMergeRequest(s.end(this), source, target, title, project); }
}

/** Parses "SHOW MERGE REQUESTS". */
SqlNode SqlShowMergeRequests() :
{
    final Span s;
}
{
    <SHOW> { s = span(); } <MERGE> <REQUESTS> { return TarnSqlNodes.showMergeRequests(s.end(this)); }
}

/** Parses "APPROVE MERGE REQUEST n". */
SqlNode SqlApproveMergeRequest() :
{
    final Span s;
    final SqlLiteral id;
}
{
    <APPROVE> { s = span(); } <MERGE> <REQUEST> id = NumericLiteral()
    { return TarnSqlNodes.approveMergeRequest(s.end(this), id); }
}

/** Parses "REJECT MERGE REQUEST n [REASON 'text']". */
SqlNode SqlRejectMergeRequest() :
{
    final Span s;
    final SqlLiteral id;
    String reason = null;
}
{
    <REJECT> { s = span(); } <MERGE> <REQUEST> id = NumericLiteral()
    [ <REASON> reason = SimpleStringLiteral() ]
    { return TarnSqlNodes.rejectMergeRequest(s.end(this), id, reason); }
}
