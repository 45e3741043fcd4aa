package dev.tarn.mcp;

import dev.tarn.core.Tarn;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStatelessServerTransport;
import io.modelcontextprotocol.spec.McpSchema.ServerCapabilities;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;
import org.apache.catalina.valves.ErrorReportValve;

/**
 * The MCP door for agents: the Model Context Protocol over streamable HTTP at {@code /mcp}, served by
 * the official MCP Java SDK's servlet transport inside an embedded Tomcat (the SDK's transport is a
 * servlet; Tomcat's embedded core is one jar). Requests need a bearer token when the server has users.
 *
 * <p>The transport is the SDK's stateless one: each POST is answered on its own and nothing is kept
 * between requests. Every call already runs in a Tarn session of its own, so an MCP session would hold
 * nothing Tarn needs, while each one kept (with what its client sent in {@code initialize}) would be
 * memory any token holder could pile up by initializing in a loop.
 */
public final class TarnMcpServer implements AutoCloseable {
  static final String ENDPOINT = "/mcp";
  /**
   * Tomcat logs through java.util.logging, in its own format, at INFO for every start and stop: only
   * its warnings are worth a Tarn operator's attention. Held here, as JUL keeps loggers weakly.
   */
  private static final java.util.logging.Logger TOMCAT_LOG = quietTomcatLog();

  private final Tomcat tomcat;
  private final McpStatelessSyncServer mcp;
  private final ScheduledExecutorService timer;
  private final int port;
  private final Path baseDir;

  private TarnMcpServer(Tomcat tomcat, McpStatelessSyncServer mcp, ScheduledExecutorService timer, int port,
      Path baseDir) {
    this.baseDir = baseDir;
    this.tomcat = tomcat;
    this.mcp = mcp;
    this.timer = timer;
    this.port = port;
  }

  /** Starts serving on {@code host:port} (0 picks a free port). */
  public static TarnMcpServer start(String host, int port, Tarn tarn, BufferAllocator allocator, McpAuthenticator auth,
      CallBudgets budgets, String version) throws IOException {
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "tarn-mcp-deadlines");
      t.setDaemon(true);
      return t;
    });
    TarnTools tools = TarnTools.over(tarn, allocator, timer, budgets);
    HttpServletStatelessServerTransport transport = HttpServletStatelessServerTransport.builder()
        .messageEndpoint(ENDPOINT)
        .contextExtractor(request -> {
          Map<String, Object> context = new HashMap<>();
          Object caller = request.getAttribute(BearerGate.CALLER);
          if (caller != null) {
            context.put(BearerGate.CALLER, caller);
          }
          return McpTransportContext.create(context);
        })
        .build();
    McpStatelessSyncServer mcp = McpServer.sync(transport)
        .serverInfo("tarn", version)
        .instructions(TarnTools.INSTRUCTIONS)
        .capabilities(ServerCapabilities.builder().tools(false).resources(false, false).build())
        .tools(tools.specifications())
        .resourceTemplates(tools.resourceTemplates())
        .requestTimeout(Duration.ofMinutes(2))
        .build();
    Tomcat tomcat = new Tomcat();
    // Tomcat wants a folder of its own for scratch files; nothing Tarn keeps is written there
    Path base = Files.createTempDirectory("tarn-mcp-");
    tomcat.setBaseDir(base.toString());
    Connector connector = new Connector();
    connector.setPort(port);
    connector.setProperty("address", host);
    // a port that cannot be bound fails the start, instead of a logged error and a server not listening
    connector.setThrowOnFailure(true);
    tomcat.setConnector(connector);
    // error pages (a wrong path, a wrong method) name neither Tomcat nor its version
    ErrorReportValve errors = new ErrorReportValve();
    errors.setShowReport(false);
    errors.setShowServerInfo(false);
    tomcat.getHost().getPipeline().addValve(errors);
    Context context = tomcat.addContext("", base.toString());
    if (context instanceof StandardContext standard) {
      // leak checks meant for redeployed web applications; this one lives as long as the server
      standard.setClearReferencesRmiTargets(false);
      standard.setClearReferencesThreadLocals(false);
    }
    Wrapper wrapper = Tomcat.addServlet(context, "mcp",
        new BearerGate(auth, new ToolCallAudit(tarn.administration().log()), transport));
    wrapper.setAsyncSupported(true);
    context.addServletMappingDecoded(ENDPOINT, "mcp");
    try {
      tomcat.start();
    } catch (LifecycleException e) {
      stopQuietly(tomcat, base);
      mcp.close();
      timer.shutdownNow();
      throw new IOException(rootMessage(e), e);
    }
    int bound = connector.getLocalPort();
    if (bound <= 0) {
      stopQuietly(tomcat, base);
      mcp.close();
      timer.shutdownNow();
      throw new IOException("port " + port + " could not be bound on " + host);
    }
    return new TarnMcpServer(tomcat, mcp, timer, bound, base);
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }

  private static java.util.logging.Logger quietTomcatLog() {
    java.util.logging.Logger log = java.util.logging.Logger.getLogger("org.apache");
    log.setLevel(java.util.logging.Level.WARNING);
    return log;
  }

  public int port() {
    return port;
  }

  @Override
  public void close() {
    mcp.close();
    stopQuietly(tomcat, baseDir);
    timer.shutdownNow();
  }

  /** Stops Tomcat and removes its scratch folder (it holds nothing of Tarn's). */
  private static void stopQuietly(Tomcat tomcat, Path baseDir) {
    try {
      tomcat.stop();
      tomcat.destroy();
    } catch (LifecycleException e) {
      // stopping on shutdown: nothing more to do
    }
    try (Stream<Path> files = Files.walk(baseDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // a scratch folder left in the temporary directory is harmless
    }
  }
}
