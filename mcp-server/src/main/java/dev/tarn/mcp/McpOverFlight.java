package dev.tarn.mcp;

import dev.tarn.core.Tarn;
import dev.tarn.core.TarnException;
import dev.tarn.core.TarnException.Kind;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpStatelessServerHandler;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCMessage;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCNotification;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCRequest;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCResponse;
import io.modelcontextprotocol.spec.McpSchema.ServerCapabilities;
import io.modelcontextprotocol.spec.McpStatelessServerTransport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.arrow.memory.BufferAllocator;
import reactor.core.publisher.Mono;

/**
 * MCP carried by the Flight action {@value #ACTION}, for {@code tarn mcp}, which serves local agents
 * over stdio and forwards their messages here. Each action's body is one JSON-RPC message; a request is
 * answered with its JSON-RPC response. Behind it is the SDK's stateless MCP server with exactly the
 * tools of the HTTP door ({@link TarnTools}), run as the user the Flight call proved: the Flight server
 * has authenticated the call before it gets here, so the door holds no credentials of its own.
 */
public final class McpOverFlight implements AutoCloseable {
  /** The Flight action's type. */
  public static final String ACTION = "tarn.mcp";
  /** The largest message accepted: tool arguments are SQL and names, far below it. */
  public static final int MAX_MESSAGE_BYTES = 1 << 20;

  private final McpStatelessSyncServer server;
  private final InProcessTransport transport;
  private final ScheduledExecutorService timer;
  private final McpJsonMapper json;
  private final AtomicBoolean closed = new AtomicBoolean();

  private McpOverFlight(McpStatelessSyncServer server, InProcessTransport transport, ScheduledExecutorService timer,
      McpJsonMapper json) {
    this.server = server;
    this.transport = transport;
    this.timer = timer;
    this.json = json;
  }

  /** @param budgets the per-token call budgets, shared with the HTTP door */
  public static McpOverFlight start(Tarn tarn, BufferAllocator allocator, CallBudgets budgets, String version) {
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "tarn-mcp-flight-deadlines");
      t.setDaemon(true);
      return t;
    });
    McpJsonMapper json = McpJsonDefaults.getMapper();
    InProcessTransport transport = new InProcessTransport();
    TarnTools tools = TarnTools.over(tarn, allocator, timer, budgets);
    McpStatelessSyncServer server = McpServer.sync(transport)
        .serverInfo("tarn", version)
        .instructions(TarnTools.INSTRUCTIONS)
        .capabilities(ServerCapabilities.builder().tools(false).resources(false, false).build())
        .tools(tools.specifications())
        .resourceTemplates(tools.resourceTemplates())
        .jsonMapper(json)
        .requestTimeout(Duration.ofMinutes(2))
        .build();
    return new McpOverFlight(server, transport, timer, json);
  }

  /**
   * Answers one JSON-RPC message from {@code user} (calling from {@code clientAddress}, if known, with
   * {@code bearer}, the token whose budget the call draws on, as over HTTP): the response to a request,
   * nothing for a notification.
   *
   * @throws TarnException INVALID_ARGUMENT for a body that is too large or not one JSON-RPC request or
   *     notification
   */
  public Optional<byte[]> answer(byte[] body, String user, String clientAddress, Optional<String> bearer) {
    if (body.length > MAX_MESSAGE_BYTES) {
      throw new TarnException(Kind.INVALID_ARGUMENT, ACTION + " takes one JSON-RPC message of at most "
          + MAX_MESSAGE_BYTES + " bytes (1 MiB); this one has " + body.length + " bytes");
    }
    JSONRPCMessage message;
    try {
      message = McpSchema.deserializeJsonRpcMessage(json, new String(body, StandardCharsets.UTF_8));
    } catch (IOException | RuntimeException e) {
      throw new TarnException(Kind.INVALID_ARGUMENT, ACTION + " takes one JSON-RPC message (an MCP request or"
          + " notification) as JSON: " + e.getMessage());
    }
    McpTransportContext context = McpTransportContext.create(Map.of(BearerGate.CALLER, new Caller(user,
        clientAddress, CallBudgets.credentialOf(user, bearer))));
    if (message instanceof JSONRPCRequest request) {
      JSONRPCResponse response = transport.handler().handleRequest(context, request).block();
      try {
        return Optional.of(json.writeValueAsBytes(response));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    if (message instanceof JSONRPCNotification notification) {
      transport.handler().handleNotification(context, notification).block();
      return Optional.empty();
    }
    throw new TarnException(Kind.INVALID_ARGUMENT, ACTION + " takes an MCP request or notification, not a"
        + " response");
  }

  /** Stops the server; a second call does nothing. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      server.close();
      timer.shutdownNow();
    }
  }

  /** The stateless server's transport: nothing but the handler it hands over, called for each action. */
  private static final class InProcessTransport implements McpStatelessServerTransport {
    private volatile McpStatelessServerHandler handler;

    @Override
    public void setMcpHandler(McpStatelessServerHandler handler) {
      this.handler = handler;
    }

    McpStatelessServerHandler handler() {
      return handler;
    }

    @Override
    public Mono<Void> closeGracefully() {
      return Mono.empty();
    }
  }
}
