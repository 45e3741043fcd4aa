package dev.tarn.mcp;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Lets a request through to the MCP transport only with credentials that prove a Tarn user, whom it
 * hands on as a request attribute; any other request gets 401 with the reason, and an audit record.
 * A body over 1 MiB, as declared or as read, is refused: a message is SQL and names, far below it.
 * The transport's own refusals reach the client as JSON-RPC errors ({@link JsonRpcErrorResponse}).
 */
final class BearerGate extends HttpServlet {
  static final String CALLER = "dev.tarn.mcp.caller";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final transient McpAuthenticator auth;
  private final transient ToolCallAudit audit;
  private final HttpServlet transport;

  BearerGate(McpAuthenticator auth, ToolCallAudit audit, HttpServlet transport) {
    this.auth = auth;
    this.audit = audit;
    this.transport = transport;
  }

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws ServletException, IOException {
    McpAuthenticator.Result result = auth.userOf(request.getHeader("Authorization"));
    if (result.user().isEmpty()) {
      audit.refusedRequest(request.getRemoteAddr(), result.refusal());
      response.setHeader("WWW-Authenticate", "Bearer realm=\"tarn\"");
      refuse(response, HttpServletResponse.SC_UNAUTHORIZED, "unauthorized", result.refusal());
      return;
    }
    if (request.getContentLengthLong() > McpOverFlight.MAX_MESSAGE_BYTES) {
      refuse(response, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, "request_too_large", "an MCP request body"
          + " may hold at most " + McpOverFlight.MAX_MESSAGE_BYTES + " bytes (1 MiB), and this one declares "
          + request.getContentLengthLong());
      return;
    }
    request.setAttribute(CALLER, new Caller(result.user().get(), request.getRemoteAddr(),
        CallBudgets.credentialOf(result.user().get(), McpAuthenticator.bearerOf(request.getHeader("Authorization")))));
    JsonRpcErrorResponse answer = new JsonRpcErrorResponse(response);
    transport.service(new BoundedRequest(request, McpOverFlight.MAX_MESSAGE_BYTES), answer);
    answer.finish();
  }

  private static void refuse(HttpServletResponse response, int status, String error, String description)
      throws IOException {
    response.setStatus(status);
    response.setContentType("application/json");
    ObjectNode body = JSON.createObjectNode().put("error", error).put("error_description", description);
    response.getOutputStream().write(JSON.writeValueAsBytes(body));
  }
}
