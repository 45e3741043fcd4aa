<#--
  Tarn: pipeline commands (spec/pipelines.md, "Run semantics").
-->

/** Parses "RUN PIPELINE 'path' [ON BRANCH name] [WITH (key = value, ...)]". */
SqlNode SqlRunPipeline() :
{
    final Span s;
    final String path;
    SqlIdentifier branch = null;
    // key, value, key, value...
    final List<SqlNode> settings = new ArrayList<SqlNode>();
}
{
    <RUN> { s = span(); } <PIPELINE>
    path = SimpleStringLiteral()
    [ <ON> <BRANCH> branch = SimpleIdentifier() ]
    [
        <WITH> <LPAREN>
        TarnPipelineOption(settings)
        ( <COMMA> TarnPipelineOption(settings) )*
        <RPAREN>
    ]
    { return TarnSqlNodes.runPipeline(s.end(this), path, branch, settings); }
}

/** Parses one "key = value" of RUN PIPELINE's WITH list; keys may be dotted (param.x). */
void TarnPipelineOption(List<SqlNode> settings) :
{
    final SqlIdentifier key;
    final SqlLiteral value;
}
{
    key = CompoundIdentifier() <EQ> value = TarnOptionValue() {
        TarnSqlNodes.addOption(settings, key, value);
    }
}

/** Parses a string, number or boolean literal. */
SqlLiteral TarnOptionValue() :
{
    final String string;
    final SqlLiteral literal;
}
{
    string = SimpleStringLiteral() { return SqlLiteral.createCharString(string, getPos()); }
|
    literal = NumericLiteral() { return literal; }
|
    <TRUE> { return SqlLiteral.createBoolean(true, getPos()); }
|
    <FALSE> { return SqlLiteral.createBoolean(false, getPos()); }
}

/** Parses "SHOW RUNS". */
SqlNode SqlShowRuns() :
{
    final Span s;
}
{
    <SHOW> { s = span(); } <RUNS> { return TarnSqlNodes.showRuns(s.end(this)); }
}

/** Parses "SHOW RUN 'id'". */
SqlNode SqlShowRun() :
{
    final Span s;
    final String id;
}
{
    <SHOW> { s = span(); } <RUN> id = SimpleStringLiteral() { return TarnSqlNodes.showRun(s.end(this), id); }
}
