package dev.tarn.mcp;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpStatelessServerFeatures;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.util.function.BiFunction;

/**
 * One tool, defined once: what it is (name, description, annotations, schema) and what a call does,
 * given the transport context that names the caller. Adapted to the SDK's two kinds of server: the
 * stateful one behind streamable HTTP and the stateless one behind the Flight action {@code tarn.mcp}.
 */
record TarnTool(Tool tool, BiFunction<McpTransportContext, CallToolRequest, CallToolResult> call) {
  McpServerFeatures.SyncToolSpecification stateful() {
    return McpServerFeatures.SyncToolSpecification.builder().tool(tool)
        .callHandler((exchange, request) -> call.apply(exchange.transportContext(), request))
        .build();
  }

  McpStatelessServerFeatures.SyncToolSpecification stateless() {
    return McpStatelessServerFeatures.SyncToolSpecification.builder().tool(tool).callHandler(call).build();
  }
}
