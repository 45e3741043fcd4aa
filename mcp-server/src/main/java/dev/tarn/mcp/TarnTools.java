package dev.tarn.mcp;

import dev.tarn.core.Tarn;
import dev.tarn.core.audit.AuditRecord;
import dev.tarn.core.statement.CancellationScope;
import dev.tarn.core.statement.StatementService;
import dev.tarn.core.TarnException;
import dev.tarn.core.TarnException.Kind;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpStatelessServerFeatures;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
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
 * offered by both doors: the stateful HTTP server and the stateless one behind the Flight action.
 */
final class TarnTools {
  /** What both doors tell an agent when it connects. */
  static final String INSTRUCTIONS = "Tarn is a lakehouse with branches and tags. Read with list_references,"
      + " list_tables, describe_table and query (one SELECT, rows capped). To change data, create_branch a branch"
      + " of your own, execute DDL/DML on it, and check it with log and diff; protected branches such as main take"
      + " no direct writes.";

  /** Reads only; asking again answers the same. */
  private static final ToolAnnotations READS = new ToolAnnotations(null, true, false, true, false, null);
  /** Changes a branch; never destroys history (a branch keeps its past commits). */
  private static final ToolAnnotations WRITES = new ToolAnnotations(null, false, false, false, false, null);

  private final CatalogTools catalog;
  private final QueryTool query;
  private final BranchTools branches;
  private final ToolCallAudit audit;

  /**
   * The tools over one Tarn, as both doors wire them: one statement path, audit log and catalog; query
   * deadlines are kept on {@code timer}, which the door owns.
   */
  static TarnTools over(Tarn tarn, BufferAllocator allocator, ScheduledExecutorService timer) {
    ToolCallAudit audit = new ToolCallAudit(tarn.administration().log());
    CatalogTools catalog = new CatalogTools(tarn.lakehouse());
    StatementService statements = tarn.statements(CancellationScope.NONE);
    OneStatement oneStatement = new OneStatement(statements, tarn.sessions(), allocator);
    QueryTool query = new QueryTool(oneStatement, catalog, timer);
    BranchTools branches = new BranchTools(oneStatement, catalog, tarn.lakehouse());
    return new TarnTools(catalog, query, branches, audit);
  }

  TarnTools(CatalogTools catalog, QueryTool query, BranchTools branches, ToolCallAudit audit) {
    this.catalog = catalog;
    this.query = query;
    this.branches = branches;
    this.audit = audit;
  }

  /** What a tool does for a caller with the call's arguments: its text answer and how many rows it holds. */
  private interface Handler {
    QueryTool.Answer answer(Caller caller, Map<String, Object> arguments);
  }

  /** The tools as the streamable HTTP door offers them. */
  List<McpServerFeatures.SyncToolSpecification> specifications() {
    return tools().stream().map(TarnTool::stateful).toList();
  }

  /** The same tools as the stateless server behind the Flight action offers them. */
  List<McpStatelessServerFeatures.SyncToolSpecification> statelessSpecifications() {
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
            (caller, args) -> branches.diff(caller.user(), str(args, "branch"), str(args, "against"))));
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
    long start = System.nanoTime();
    Caller caller = (Caller) context.get(BearerGate.CALLER);
    Map<String, Object> arguments = request.arguments() == null ? Map.of() : request.arguments();
    Object ref = arguments.containsKey("branch") ? arguments.get("branch") : arguments.get("ref");
    String reference = ref instanceof String s && !s.isBlank() ? s : null;
    try {
      if (caller == null) {
        throw new TarnException(Kind.PERMISSION_DENIED, "this call carries no proven Tarn user");
      }
      QueryTool.Answer answer = handler.answer(caller, arguments);
      audit.toolCall(caller, auditText(name, arguments), reference, AuditRecord.OK, null, answer.rows(), start);
      return CallToolResult.builder().addTextContent(answer.text()).isError(false).build();
    } catch (RuntimeException e) {
      String outcome = e instanceof TarnException t && t.kind() == Kind.PERMISSION_DENIED ? AuditRecord.REFUSED
          : AuditRecord.ERROR;
      audit.toolCall(caller == null ? new Caller("unauthenticated", null) : caller, auditText(name, arguments),
          reference, outcome, e, 0, start);
      return CallToolResult.builder().addTextContent(name + " failed: " + message(e)).isError(true).build();
    }
  }

  private static String auditText(String name, Map<String, Object> arguments) {
    Object sql = arguments.get("sql");
    String text = name + (arguments.containsKey("table") ? " " + arguments.get("table") : "")
        + (arguments.containsKey("name") ? " " + arguments.get("name") : "")
        + (sql == null ? "" : ": " + sql);
    return text.length() > 2000 ? text.substring(0, 2000) + "…" : text;
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
