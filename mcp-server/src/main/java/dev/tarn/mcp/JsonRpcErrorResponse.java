package dev.tarn.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * The MCP transport's refusals (a body that is not JSON, not one JSON-RPC message, a request without
 * an id) as a JSON-RPC error with a code and a message. The SDK writes its exception object whole,
 * with the stack trace of the server's classes, which is neither a JSON-RPC message a client can read
 * nor anything a client should be shown. Answers that are not errors pass through untouched.
 */
final class JsonRpcErrorResponse extends HttpServletResponseWrapper {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The error JSON-RPC names for a message that is not a valid request. */
  private static final int INVALID_REQUEST = -32600;

  private StringWriter captured;
  private PrintWriter capturing;

  JsonRpcErrorResponse(HttpServletResponse response) {
    super(response);
  }

  @Override
  public PrintWriter getWriter() throws IOException {
    if (getStatus() < 400) {
      return super.getWriter();
    }
    if (capturing == null) {
      captured = new StringWriter();
      capturing = new PrintWriter(captured);
    }
    return capturing;
  }

  /** Writes the captured error, if any, as a JSON-RPC error: its code and message, nothing else. */
  void finish() throws IOException {
    if (captured == null) {
      return;
    }
    capturing.flush();
    JsonNode written;
    try {
      written = JSON.readTree(captured.toString()).path("jsonRpcError");
    } catch (IOException e) {
      written = JSON.missingNode();
    }
    ObjectNode error = JSON.createObjectNode()
        .put("code", written.path("code").asInt(INVALID_REQUEST))
        .put("message", written.path("message").asText("not a valid MCP request"));
    ObjectNode body = JSON.createObjectNode().put("jsonrpc", "2.0").putNull("id");
    body.set("error", error);
    HttpServletResponse response = (HttpServletResponse) getResponse();
    response.setContentType("application/json");
    response.setCharacterEncoding("UTF-8");
    response.getOutputStream().write(JSON.writeValueAsBytes(body));
  }
}
