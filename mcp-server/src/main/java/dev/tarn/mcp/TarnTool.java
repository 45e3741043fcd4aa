package dev.tarn.mcp;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpStatelessServerFeatures;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.util.function.BiFunction;

/**
 * One tool, defined once: what it is (name, description, annotations, schema) and what a call does,
 * given the transport context that names the caller, as the SDK's stateless server (behind streamable
 * HTTP and behind the Flight action {@code tarn.mcp}) takes it.
 */
record TarnTool(Tool tool, BiFunction<McpTransportContext, CallToolRequest, CallToolResult> call) {
  McpStatelessServerFeatures.SyncToolSpecification stateless() {
    return McpStatelessServerFeatures.SyncToolSpecification.builder().tool(tool).callHandler(call).build();
  }
}
