package dev.tarn.mcp;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceTemplateSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.ClientCapabilities;
import io.modelcontextprotocol.spec.McpSchema.ErrorCodes;
import io.modelcontextprotocol.spec.McpSchema.Implementation;
import io.modelcontextprotocol.spec.McpSchema.InitializeRequest;
import io.modelcontextprotocol.spec.McpSchema.InitializeResult;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCRequest;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCResponse;
import io.modelcontextprotocol.spec.McpSchema.ListResourceTemplatesResult;
import io.modelcontextprotocol.spec.McpSchema.ListResourcesResult;
import io.modelcontextprotocol.spec.McpSchema.ListToolsResult;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceResult;
import io.modelcontextprotocol.spec.McpSchema.Resource;
import io.modelcontextprotocol.spec.McpSchema.ResourceTemplate;
import io.modelcontextprotocol.spec.McpSchema.ServerCapabilities;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.modelcontextprotocol.spec.ProtocolVersions;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * An MCP server on stdio that offers what a remote Tarn server offers through the Flight action
 * {@link McpOverFlight#ACTION}, for local agents that start their MCP servers as processes. At start it
 * asks the remote server for its tools (and resources and resource templates, when it has any) and
 * offers each locally; every call is forwarded as it came and answered with the remote answer
 * unchanged. Nothing is known here about any one tool, so tools added to the server appear without a
 * change here.
 */
public final class StdioProxy {
  /** One round trip to the remote server: a JSON-RPC message out, and its JSON-RPC response back. */
  @FunctionalInterface
  public interface Remote {
    /**
     * @throws RuntimeException when the server cannot be reached or refuses the caller; the message says
     *     why
     */
    byte[] exchange(byte[] message);
  }

  private final Remote remote;
  private final McpJsonMapper json = McpJsonDefaults.getMapper();
  private final AtomicLong ids = new AtomicLong();
  private final String version;

  public StdioProxy(Remote remote, String version) {
    this.remote = remote;
    this.version = version;
  }

  /**
   * Learns what the remote server offers, then serves it on {@code in} and {@code out} until {@code in}
   * ends. Fails before serving anything when the remote server cannot be reached or refuses.
   */
  public void serve(InputStream in, OutputStream out) throws InterruptedException {
    InitializeResult remoteInfo = request(McpSchema.METHOD_INITIALIZE, new InitializeRequest(
        ProtocolVersions.MCP_2025_06_18, ClientCapabilities.builder().build(),
        new Implementation("tarn-mcp-stdio", version)), InitializeResult.class);
    List<Tool> tools = listAll(McpSchema.METHOD_TOOLS_LIST, ListToolsResult.class, ListToolsResult::tools,
        ListToolsResult::nextCursor);
    boolean resources = remoteInfo.capabilities() != null && remoteInfo.capabilities().resources() != null;
    List<Resource> fixed = resources ? listAll(McpSchema.METHOD_RESOURCES_LIST, ListResourcesResult.class,
        ListResourcesResult::resources, ListResourcesResult::nextCursor) : List.of();
    List<ResourceTemplate> templates = resources ? listAll(McpSchema.METHOD_RESOURCES_TEMPLATES_LIST,
        ListResourceTemplatesResult.class, ListResourceTemplatesResult::resourceTemplates,
        ListResourceTemplatesResult::nextCursor) : List.of();

    CountDownLatch ended = new CountDownLatch(1);
    ServerCapabilities.Builder capabilities = ServerCapabilities.builder().tools(false);
    if (resources) {
      capabilities.resources(false, false);
    }
    McpSyncServer server = McpServer.sync(new StdioServerTransportProvider(json, new EndWatch(in, ended), out))
        .serverInfo(remoteInfo.serverInfo() == null ? new Implementation("tarn", version) : remoteInfo.serverInfo())
        .instructions(remoteInfo.instructions())
        .capabilities(capabilities.build())
        // the remote server checks arguments against its own schemas; its answer is passed on as it is
        .validateToolInputs(false)
        .tools(tools.stream().map(this::forwarded).toList())
        .resources(fixed.stream().map(r -> new SyncResourceSpecification(r,
            (exchange, read) -> readRemote(read))).toList())
        .resourceTemplates(templates.stream().map(t -> new SyncResourceTemplateSpecification(t,
            (exchange, read) -> readRemote(read))).toList())
        .requestTimeout(Duration.ofMinutes(5))
        .build();
    try {
      ended.await();
    } finally {
      server.closeGracefully();
    }
  }

  private SyncToolSpecification forwarded(Tool tool) {
    return SyncToolSpecification.builder().tool(tool).callHandler((exchange, call) -> {
      try {
        return request(McpSchema.METHOD_TOOLS_CALL, call, CallToolResult.class);
      } catch (McpError e) {
        throw e;
      } catch (RuntimeException e) {
        // the server went away, refused the token or the message: the agent reads why, as any tool's failure
        return CallToolResult.builder().isError(true)
            .addTextContent(tool.name() + " got no answer from the Tarn server: " + e.getMessage()).build();
      }
    }).build();
  }

  private ReadResourceResult readRemote(McpSchema.ReadResourceRequest read) {
    try {
      return request(McpSchema.METHOD_RESOURCES_READ, read, ReadResourceResult.class);
    } catch (McpError e) {
      throw e;
    } catch (RuntimeException e) {
      throw McpError.builder(ErrorCodes.INTERNAL_ERROR)
          .message("no answer from the Tarn server: " + e.getMessage()).build();
    }
  }

  private <R, T> List<T> listAll(String method, Class<R> type, Function<R, List<T>> items,
      Function<R, String> nextCursor) {
    List<T> all = new ArrayList<>();
    String cursor = null;
    do {
      Map<String, Object> params = new HashMap<>();
      if (cursor != null) {
        params.put("cursor", cursor);
      }
      R page = request(method, params, type);
      all.addAll(Optional.ofNullable(items.apply(page)).orElse(List.of()));
      cursor = nextCursor.apply(page);
    } while (cursor != null);
    return all;
  }

  /** Sends one request; its result as {@code type}, or the remote JSON-RPC error as an {@link McpError}. */
  private <T> T request(String method, Object params, Class<T> type) {
    JSONRPCResponse response;
    try {
      byte[] message = json.writeValueAsBytes(new JSONRPCRequest(McpSchema.JSONRPC_VERSION, method,
          "tarn-" + ids.incrementAndGet(), params));
      response = json.readValue(remote.exchange(message), JSONRPCResponse.class);
    } catch (IOException e) {
      throw new UncheckedIOException("the Tarn server's answer to " + method + " is not a JSON-RPC response", e);
    }
    if (response.error() != null) {
      throw new McpError(response.error());
    }
    return json.convertValue(response.result(), type);
  }

  /** Counts down when the input ends: the MCP client closed its side, so the server is done. */
  private static final class EndWatch extends FilterInputStream {
    private final CountDownLatch ended;

    EndWatch(InputStream in, CountDownLatch ended) {
      super(in);
      this.ended = ended;
    }

    @Override
    public int read() throws IOException {
      return watched(super.read());
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return watched(super.read(b, off, len));
    }

    private int watched(int n) throws IOException {
      if (n < 0) {
        ended.countDown();
      }
      return n;
    }
  }
}
