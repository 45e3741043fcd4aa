package dev.tarn.mcp;

import dev.tarn.core.Tarn;
import dev.tarn.core.audit.AuditRecord;
import dev.tarn.core.review.MergeRequests;
import dev.tarn.core.statement.CancellationScope;
import dev.tarn.core.statement.StatementService;
import dev.tarn.core.TarnException;
import dev.tarn.core.TarnException.Kind;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpStatelessServerFeatures;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.ErrorCodes;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceRequest;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceResult;
import io.modelcontextprotocol.spec.McpSchema.ResourceTemplate;
import io.modelcontextprotocol.spec.McpSchema.TextResourceContents;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.arrow.memory.BufferAllocator;

/**
 * The tools this door offers, each with its JSON schema: the reading ones, and those that work on
 * branches (create one, write to it, read its log and diff). Every call runs as the user
 * the request's token proves and leaves one audit record; a failure is answered as a tool error whose
 * text says what was wrong, and the session goes on. Each tool is defined once ({@link TarnTool}) and
 * offered by both doors, each a stateless server: streamable HTTP and the Flight action.
 */
final class TarnTools {
  /** What both doors tell an agent when it connects. */
  static final String INSTRUCTIONS = "Tarn is a lakehouse with branches and tags. Read with list_references,"
      + " list_tables, describe_table and query (one SELECT, rows capped). To change data, create_branch a branch"
      + " of your own, execute DDL/DML or run_pipeline on it, and check it with log and diff; protected branches"
      + " such as main take no direct writes. Resources: tarn://tables/{ref}/{table} (a table's schema) and"
      + " tarn://runs/{run_id} (a pipeline run's log).";

  /** Reads only; asking again answers the same. */
  private static final ToolAnnotations READS = new ToolAnnotations(null, true, false, true, false, null);
  /** Changes a branch; never destroys history (a branch keeps its past commits). */
  private static final ToolAnnotations WRITES = new ToolAnnotations(null, false, false, false, false, null);

  private final CatalogTools catalog;
  private final QueryTool query;
  private final BranchTools branches;
  private final PipelineTools pipelines;
  private final MergeRequestTools mergeRequests;
  private final TarnResources resources;
  private final ToolCallAudit audit;
  private final CallBudgets budgets;

  /**
   * The tools over one Tarn, as both doors wire them: one statement path, audit log and catalog; query
   * deadlines are kept on {@code timer}, which the door owns; every call draws on its credential's
   * budget in {@code budgets}, which both doors share.
   */
  static TarnTools over(Tarn tarn, BufferAllocator allocator, ScheduledExecutorService timer, CallBudgets budgets) {
    ToolCallAudit audit = new ToolCallAudit(tarn.administration().log());
    CatalogTools catalog = new CatalogTools(tarn.lakehouse());
    StatementService statements = tarn.statements(CancellationScope.NONE);
    OneStatement oneStatement = new OneStatement(statements, tarn.sessions(), allocator);
    QueryTool query = new QueryTool(oneStatement, catalog, timer);
    BranchTools branches = new BranchTools(oneStatement, catalog, tarn.lakehouse());
    PipelineTools pipelines = new PipelineTools(tarn.pipelines(), catalog);
    TarnResources resources = new TarnResources(catalog, tarn.pipelines(), tarn.lakehouse().access());
    return new TarnTools(catalog, query, branches, pipelines, new MergeRequestTools(tarn.mergeRequests()), resources,
        audit, budgets);
  }

  private TarnTools(CatalogTools catalog, QueryTool query, BranchTools branches, PipelineTools pipelines,
      MergeRequestTools mergeRequests, TarnResources resources, ToolCallAudit audit, CallBudgets budgets) {
    this.mergeRequests = mergeRequests;
    this.catalog = catalog;
    this.query = query;
    this.branches = branches;
    this.pipelines = pipelines;
    this.resources = resources;
    this.audit = audit;
    this.budgets = budgets;
  }

  /** What a tool does for a caller with the call's arguments: its text answer and how many rows it holds. */
  private interface Handler {
    QueryTool.Answer answer(Caller caller, Map<String, Object> arguments);
  }

  /** The tools, as both doors' stateless servers offer them. */
  List<McpStatelessServerFeatures.SyncToolSpecification> specifications() {
    return tools().stream().map(TarnTool::stateless).toList();
  }

  private List<TarnTool> tools() {
    return List.of(
        tool("list_references", "Branches and tags you may read, with their head commit.", READS, Map.of(), List.of(),
            (caller, args) -> text(catalog.listReferences(caller.user()))),
        tool("list_tables", "Tables (schema.table) on a branch or tag.", READS,
            Map.of("ref", string("branch or tag; main when left out")), List.of(),
            (caller, args) -> text(catalog.listTables(caller.user(), str(args, "ref")))),
        tool("describe_table", "A table's columns and types, row count and the commit that last changed it.", READS,
            ordered("ref", string("branch or tag; main when left out"),
                "table", string("table name, such as trips or public.trips")), List.of("table"),
            (caller, args) -> text(catalog.describeTable(caller.user(), str(args, "ref"), str(args, "table")))),
        tool("query", "Runs one read-only SQL query (SELECT) on a branch or tag and answers with a text table,"
                + " cut at the row limit with a note.", READS,
            ordered("sql", string("one SELECT statement"),
                "ref", string("branch or tag; main when left out"),
                "limit", Map.of("type", "integer", "minimum", 1, "maximum", QueryLimits.MAX_ROWS,
                    "description", "most rows to return (default " + QueryLimits.DEFAULT_ROWS + ")")),
            List.of("sql"),
            (caller, args) -> query.query(caller.user(), str(args, "sql"), str(args, "ref"),
                QueryLimits.forRequest(args.get("limit")))),
        tool("create_branch", "Creates a branch from a branch or tag, to work on without touching it;"
                + " needs the same privileges as CREATE BRANCH in SQL.", WRITES,
            ordered("name", string("the new branch's name"),
                "from", string("branch or tag to start from; main when left out")), List.of("name"),
            (caller, args) -> branches.createBranch(caller.user(), str(args, "name"), str(args, "from"))),
        tool("execute", "Runs one DDL or DML statement (CREATE TABLE, INSERT, UPDATE, DELETE, ...) on a branch"
                + " you may write, as one commit; answers with the rows changed and the branch's new commit."
                + " Protected branches (such as main) take no writes: write on your own branch.", WRITES,
            ordered("sql", string("one DDL or DML statement"),
                "branch", string("the branch to write to")), List.of("sql", "branch"),
            (caller, args) -> branches.execute(caller.user(), str(args, "sql"), str(args, "branch"))),
        tool("log", "Commits of a branch or tag, newest first: hash, parent, author, time, message, tables"
                + " changed.", READS,
            ordered("ref", string("branch or tag; main when left out"),
                "limit", Map.of("type", "integer", "minimum", 1, "maximum", BranchTools.MAX_LOG_ENTRIES,
                    "description", "most commits to show (default " + BranchTools.DEFAULT_LOG_ENTRIES + ")")),
            List.of(),
            (caller, args) -> branches.log(caller.user(), str(args, "ref"), args.get("limit"))),
        tool("diff", "Tables that differ between a branch and another branch or tag.", READS,
            ordered("branch", string("the branch whose changes to show"),
                "against", string("branch or tag to compare with; main when left out")), List.of("branch"),
            (caller, args) -> branches.diff(caller.user(), str(args, "branch"), str(args, "against"))),
        tool("run_pipeline", "Runs a pipeline project into a branch you may write and run on: its models run on a"
                + " temporary branch merged as one commit, or nothing changes when a model or expectation fails."
                + " Name a project in the server's projects folder, or send its files. Answers with each step's"
                + " outcome; the full log is the resource tarn://runs/{run_id}.", WRITES,
            ordered("branch", string("the branch the run writes (your own, from create_branch)"),
                "project", string("a project folder inside the server's projects folder, such as"
                    + " examples/seed_pipeline; with files, just a name for the sent project"),
                "files", Map.of("type", "object", "additionalProperties", Map.of("type", "string"),
                    "description", "the project's files by name (models.py, trips.sql, tarn_project.yml) to their"
                        + " text, instead of a folder on the server; top-level files only"),
                "params", Map.of("type", "object", "additionalProperties",
                    Map.of("type", List.of("string", "number", "boolean")),
                    "description", "run parameters by name"),
                "dry_run", Map.of("type", "boolean", "description", "run everything, commit nothing")),
            List.of("branch"),
            (caller, args) -> pipelines.run(caller.user(), args.get("project"), args.get("files"),
                str(args, "branch"), args.get("params"), args.get("dry_run"))),
        tool("propose_merge", "Asks for a branch's changes, at its current commit, to be merged into another branch"
                + " (main by default) that you may not write: opens a merge request, which a person holding MERGE"
                + " on the target approves or rejects.", WRITES,
            ordered("branch", string("the branch whose changes to merge (your own)"),
                "into", string("the branch to merge into; main when left out"),
                "title", string("what the change is and why, for the person who decides (at most "
                    + MergeRequests.MAX_TITLE_CHARS + " characters)"),
                "project", string("a project in the server's projects folder whose models and expectations must"
                    + " pass on the branch before it merges, such as examples/pipelines/seed")),
            List.of("branch", "title"),
            (caller, args) -> mergeRequests.propose(caller.user(), str(args, "branch"), str(args, "into"),
                str(args, "title"), str(args, "project"))),
        tool("list_merge_requests", "Merge requests you may read, oldest first: state (open, merged, rejected),"
                + " who decided, the merge commit, and why one was rejected or not yet merged.", READS, Map.of(),
            List.of(), (caller, args) -> mergeRequests.list(caller.user())));
  }

  /** The resources an agent may read, table schemas and run logs by URI template, as both doors offer them. */
  List<McpStatelessServerFeatures.SyncResourceTemplateSpecification> resourceTemplates() {
    return templates().stream().map(t -> new McpStatelessServerFeatures.SyncResourceTemplateSpecification(t,
        this::read)).toList();
  }

  private static List<ResourceTemplate> templates() {
    return List.of(
        ResourceTemplate.builder(TarnResources.TABLE_TEMPLATE, "table").mimeType("text/plain")
            .description("A table's columns and types, row count and last commit on a branch or tag (names"
                + " percent-encoded: agent%2Fbot%2Ffix)").build(),
        ResourceTemplate.builder(TarnResources.RUN_TEMPLATE, "run").mimeType("text/plain")
            .description("A pipeline run's outcome and log: each step's detail, what it printed and why it failed")
            .build());
  }

  private ReadResourceResult read(McpTransportContext context, ReadResourceRequest request) {
    Outcome read = call("read " + request.uri(), (caller, args) -> new QueryTool.Answer(
        resources.read(caller.user(), request.uri()), 0), context, Map.of(), null);
    if (read.failed()) {
      // a resource answers with contents or a protocol error; the error's text says why, as a tool's does
      throw McpError.builder(ErrorCodes.INVALID_PARAMS).message(read.text()).build();
    }
    return new ReadResourceResult(List.of(new TextResourceContents(request.uri(), "text/plain", read.text())));
  }

  private TarnTool tool(String name, String description, ToolAnnotations annotations,
      Map<String, Object> properties, List<String> required, Handler handler) {
    Map<String, Object> schema = new LinkedHashMap<>();
    schema.put("type", "object");
    schema.put("properties", properties);
    schema.put("required", required);
    schema.put("additionalProperties", false);
    Tool tool = Tool.builder(name, schema).description(description)
        .annotations(annotations)
        .build();
    return new TarnTool(tool, (context, request) -> call(name, handler, context, request));
  }

  private CallToolResult call(String name, Handler handler, McpTransportContext context, CallToolRequest request) {
    Map<String, Object> arguments = request.arguments() == null ? Map.of() : request.arguments();
    Object ref = arguments.containsKey("branch") ? arguments.get("branch") : arguments.get("ref");
    String reference = ref instanceof String s && !s.isBlank() ? s : null;
    Outcome outcome = call(name, handler, context, arguments, reference);
    return CallToolResult.builder().addTextContent(outcome.text()).isError(outcome.failed()).build();
  }

  /** A call's text, and whether it is the reason it failed. */
  private record Outcome(String text, boolean failed) {}

  /**
   * Runs one call within its credential's budget, as the caller the transport proved, and audits it;
   * a failure becomes text naming the call and the reason.
   */
  private Outcome call(String name, Handler handler, McpTransportContext context, Map<String, Object> arguments,
      String reference) {
    long start = System.nanoTime();
    Caller caller = (Caller) context.get(BearerGate.CALLER);
    try {
      if (caller == null) {
        throw new TarnException(Kind.PERMISSION_DENIED, "this call carries no proven Tarn user");
      }
      QueryTool.Answer answer;
      try (CallBudgets.Permit permit = budgets.acquire(caller.credential())) {
        answer = handler.answer(caller, arguments);
      }
      audit.toolCall(caller, auditText(name, arguments), reference, AuditRecord.OK, null, answer.rows(), start);
      return new Outcome(answer.text(), false);
    } catch (RuntimeException e) {
      String outcome = e instanceof TarnException t && (t.kind() == Kind.PERMISSION_DENIED
          || t.kind() == Kind.RESOURCE_EXHAUSTED) ? AuditRecord.REFUSED : AuditRecord.ERROR;
      audit.toolCall(caller == null ? new Caller("unauthenticated", null, "") : caller, auditText(name, arguments),
          reference, outcome, e, 0, start);
      return new Outcome(name + " failed: " + message(e), true);
    }
  }

  /** What the audit record says was asked: the tool and the arguments that name what it acted on. */
  private static String auditText(String name, Map<String, Object> arguments) {
    StringBuilder text = new StringBuilder(name);
    for (String key : List.of("table", "name", "project", "into", "id")) {
      if (arguments.get(key) != null) {
        text.append(' ').append(arguments.get(key));
      }
    }
    if (arguments.get("files") instanceof Map<?, ?> files) {
      text.append(" files ").append(String.join(", ", files.keySet().stream().map(String::valueOf).toList()));
    }
    if (arguments.get("sql") != null) {
      text.append(": ").append(arguments.get("sql"));
    }
    return text.length() > 2000 ? text.substring(0, 2000) + "…" : text.toString();
  }

  private static String message(Throwable e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private static QueryTool.Answer text(String text) {
    return new QueryTool.Answer(text, 0);
  }

  private static String str(Map<String, Object> arguments, String key) {
    Object value = arguments.get(key);
    if (value == null || value instanceof String) {
      return (String) value;
    }
    throw new TarnException(Kind.INVALID_ARGUMENT, key + " must be a string, not " + value);
  }

  private static Map<String, Object> string(String description) {
    return Map.of("type", "string", "description", description);
  }

  private static Map<String, Object> ordered(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }
}
