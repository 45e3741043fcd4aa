package dev.tarn.mcp;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Lets a request through to the MCP transport only with credentials that prove a Tarn user, whom it
 * hands on as a request attribute; any other request gets 401 with the reason, and an audit record.
 */
final class BearerGate extends HttpServlet {
  static final String CALLER = "dev.tarn.mcp.caller";

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
      String body = "{\"error\":\"unauthorized\",\"error_description\":" + jsonString(result.refusal()) + "}";
      response.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
      return;
    }
    request.setAttribute(CALLER, new Caller(result.user().get(), request.getRemoteAddr()));
    transport.service(request, response);
  }

  private static String jsonString(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
