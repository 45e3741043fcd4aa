<#--
  Tarn: branch, tag and reference commands (spec/sql.md, "Branch and tag commands"), with the aliases
  of Dremio and Nessie's Spark extensions. Every command takes an optional trailing "IN catalog".
-->

/**
 * Parses "CREATE BRANCH | TAG [IF NOT EXISTS] name
 *   [FROM reference [AT COMMIT 'hash'] | AT BRANCH | TAG | REFERENCE reference [AT COMMIT 'hash']]".
 */
SqlCreate SqlCreateReference(Span s, boolean replace) :
{
    final ReferenceType type;
    final boolean ifNotExists;
    final SqlIdentifier name;
    SqlReferenceSpec from = null;
    final SqlIdentifier catalog;
}
{
    type = TarnBranchOrTag() {
        if (replace) {
            throw TarnSqlNodes.error(s.end(this), "CREATE OR REPLACE is not supported for branches and tags");
        }
    }
    ifNotExists = TarnIfNotExistsOpt()
    name = SimpleIdentifier()
    [
        <FROM> from = TarnReferenceSpec(ReferenceType.ANY)
    |
        <AT> from = TarnTypedReferenceSpec()
    ]
    catalog = TarnInCatalogOpt()
    { return TarnSqlNodes.createReference(s.end(this), type, ifNotExists, name, from, catalog); }
}

/** Parses "BRANCH | TAG | REFERENCE name [AT COMMIT 'hash']" (the type keyword is required). */
SqlReferenceSpec TarnTypedReferenceSpec() :
{
    final ReferenceType type;
    final SqlIdentifier name;
    final SqlReferenceSpec spec;
}
{
    type = TarnReferenceType() name = SimpleIdentifier() spec = TarnReferencePin(name, type)
    { return spec; }
}

/** Parses "DROP BRANCH | TAG [IF EXISTS] name". */
SqlDrop SqlDropReference(Span s, boolean replace) :
{
    final ReferenceType type;
    final boolean ifExists;
    final SqlIdentifier name;
    final SqlIdentifier catalog;
}
{
    type = TarnBranchOrTag()
    ifExists = TarnIfExistsOpt()
    name = SimpleIdentifier()
    catalog = TarnInCatalogOpt()
    { return TarnSqlNodes.dropReference(s.end(this), type, ifExists, name, catalog); }
}

/** Parses "USE BRANCH name | USE TAG name | USE REFERENCE name [AT COMMIT 'hash' | AT TIMESTAMP 'ts']". */
SqlNode SqlUseReference() :
{
    final Span s;
    final SqlReferenceSpec reference;
    final SqlIdentifier catalog;
}
{
    <USE> { s = span(); }
    reference = TarnTypedReferenceSpec()
    catalog = TarnInCatalogOpt()
    { return TarnSqlNodes.useReference(s.end(this), reference, catalog); }
}

/** Parses "MERGE BRANCH [DRY RUN] source [INTO target]". */
SqlNode SqlMergeBranch() :
{
    final Span s;
    boolean dryRun = false;
    final SqlIdentifier source;
    SqlIdentifier target = null;
    final SqlIdentifier catalog;
}
{
    <MERGE> { s = span(); } <BRANCH>
    [ LOOKAHEAD(2) <DRY> <RUN> { dryRun = true; } ]
    source = SimpleIdentifier()
    [ <INTO> target = SimpleIdentifier() ]
    catalog = TarnInCatalogOpt()
    { return TarnSqlNodes.mergeBranch(s.end(this), source, target, dryRun, catalog); }
}

/** Parses "ALTER BRANCH name ASSIGN TO reference [AT COMMIT 'hash']". */
SqlNode SqlAlterBranchAssign() :
{
    final Span s;
    final SqlIdentifier branch;
    final SqlReferenceSpec to;
    final SqlIdentifier catalog;
}
{
    <ALTER> { s = span(); } <BRANCH>
    branch = SimpleIdentifier()
    <ASSIGN> <TO>
    to = TarnReferenceSpec(ReferenceType.ANY)
    catalog = TarnInCatalogOpt()
    { return TarnSqlNodes.assignBranch(s.end(this), branch, to, catalog); }
}

/** Parses Nessie's "ASSIGN BRANCH name TO reference [AT 'hash']". */
SqlNode SqlAssignBranch() :
{
    final Span s;
    final SqlIdentifier branch;
    final SqlReferenceSpec to;
    final SqlIdentifier catalog;
}
{
    <ASSIGN> { s = span(); } <BRANCH>
    branch = SimpleIdentifier()
    <TO>
    to = TarnReferenceSpec(ReferenceType.ANY)
    catalog = TarnInCatalogOpt()
    { return TarnSqlNodes.assignBranch(s.end(this), branch, to, catalog); }
}

/**
 * Parses "SHOW BRANCHES [ALL] | SHOW TAGS | SHOW REFERENCES [ALL]"; ALL also lists the branches
 * failed pipeline runs kept.
 */
SqlNode SqlShowReferences() :
{
    final Span s;
    final ReferenceType type;
    boolean all = false;
    final SqlIdentifier catalog;
}
{
    <SHOW> { s = span(); }
    (
        <BRANCHES> { type = ReferenceType.BRANCH; } [ <ALL> { all = true; } ]
    |
        <TAGS> { type = ReferenceType.TAG; }
    |
        <REFERENCES> { type = ReferenceType.ANY; } [ <ALL> { all = true; } ]
    )
    catalog = TarnInCatalogOpt()
    { return TarnSqlNodes.showReferences(s.end(this), type, all, catalog); }
}

/** Parses Nessie's "LIST REFERENCES". */
SqlNode SqlListReferences() :
{
    final Span s;
    final SqlIdentifier catalog;
}
{
    <LIST> { s = span(); } <REFERENCES>
    catalog = TarnInCatalogOpt()
    { return TarnSqlNodes.showReferences(s.end(this), ReferenceType.ANY, false, catalog); }
}

/** Parses "SHOW LOG | LOGS [reference] [LIMIT n]". */
SqlNode SqlShowLog() :
{
    final Span s;
    SqlIdentifier reference = null;
    SqlNumericLiteral limit = null;
    final SqlIdentifier catalog;
}
{
    <SHOW> { s = span(); } ( <LOG> | <LOGS> )
    [ reference = SimpleIdentifier() ]
    [ <LIMIT> limit = UnsignedNumericLiteral() ]
    catalog = TarnInCatalogOpt()
    { return TarnSqlNodes.showLog(s.end(this), reference, limit, catalog); }
}

/** Parses "SHOW VIEWS [reference]". */
SqlNode SqlShowViews() :
{
    final Span s;
    SqlIdentifier reference = null;
    final SqlIdentifier catalog;
}
{
    <SHOW> { s = span(); } <VIEWS>
    [ reference = SimpleIdentifier() ]
    catalog = TarnInCatalogOpt()
    { return TarnSqlNodes.showViews(s.end(this), reference, catalog); }
}

/** Parses "SHOW DIFF source [AGAINST target]". */
SqlNode SqlShowDiff() :
{
    final Span s;
    final SqlIdentifier source;
    SqlIdentifier against = null;
    final SqlIdentifier catalog;
}
{
    <SHOW> { s = span(); } <DIFF>
    source = SimpleIdentifier()
    [ <AGAINST> against = SimpleIdentifier() ]
    catalog = TarnInCatalogOpt()
    { return TarnSqlNodes.showDiff(s.end(this), source, against, catalog); }
}
