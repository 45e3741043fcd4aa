package dev.tarn.server.cli;

import dev.tarn.mcp.McpOverFlight;
import dev.tarn.mcp.StdioProxy;
import dev.tarn.server.TarnServer;
import java.io.PrintStream;
import java.util.Iterator;
import java.util.concurrent.Callable;
import org.apache.arrow.flight.Action;
import org.apache.arrow.flight.CallOption;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.Result;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code tarn mcp}: an MCP server on stdin and stdout for a local agent (Claude Desktop, an IDE), which
 * starts it as a process. It offers what the Tarn server at --url offers its agents, as the user the
 * token proves, forwarding each message through the Flight action {@value McpOverFlight#ACTION}.
 * Standard output carries MCP messages and nothing else; everything this process says goes to stderr.
 */
@Command(name = "mcp", mixinStandardHelpOptions = true,
    description = "Serve MCP on stdin/stdout for a local agent, working on the Tarn server at --url as the user"
        + " of --token (or the TARN_TOKEN environment variable).")
final class McpCommand implements Callable<Integer> {
  @Mixin
  ServerOptions server;

  @Override
  public Integer call() throws Exception {
    PrintStream messages = System.out;
    // a stray line on stdout would break the agent's JSON-RPC stream: anything printed goes to stderr
    System.setOut(System.err);
    try (BufferAllocator allocator = new RootAllocator();
        ServerConnection connection = server.connect(allocator)) {
      FlightClient client = connection.client();
      CallOption[] options = server.login(client).toArray(new CallOption[0]);
      new StdioProxy(message -> exchange(client, options, message), TarnServer.VERSION).serve(System.in, messages);
      return 0;
    } catch (FlightRuntimeException e) {
      System.err.println("tarn mcp: " + explain(e));
      return 1;
    }
  }

  private static byte[] exchange(FlightClient client, CallOption[] options, byte[] message) {
    Iterator<Result> results = client.doAction(new Action(McpOverFlight.ACTION, message), options);
    if (!results.hasNext()) {
      throw new IllegalStateException("the Tarn server answered " + McpOverFlight.ACTION + " with nothing");
    }
    byte[] response = results.next().getBody();
    results.forEachRemaining(extra -> { });
    return response;
  }

  private String explain(FlightRuntimeException e) {
    String where = "the Tarn server at " + server.url;
    return switch (e.status().code()) {
      case UNAUTHENTICATED -> where + " refused the credentials: " + e.getMessage()
          + " (give a valid token with TARN_TOKEN or --token)";
      case UNAVAILABLE -> "cannot reach " + where + ": " + e.getMessage();
      case UNIMPLEMENTED -> where + " does not offer MCP over Flight (the action " + McpOverFlight.ACTION
          + "); it may be older than this tarn";
      default -> where + " answered " + e.status().code() + ": " + e.getMessage();
    };
  }
}
