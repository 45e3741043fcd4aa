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
      response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
      response.setHeader("WWW-Authenticate", "Bearer realm=\"tarn\"");
      response.setContentType("application/json");
      ObjectNode body = JSON.createObjectNode().put("error", "unauthorized")
          .put("error_description", result.refusal());
      response.getOutputStream().write(JSON.writeValueAsBytes(body));
      return;
    }
    request.setAttribute(CALLER, new Caller(result.user().get(), request.getRemoteAddr(),
        CallBudgets.credentialOf(result.user().get(), McpAuthenticator.bearerOf(request.getHeader("Authorization")))));
    transport.service(request, response);
  }
}
