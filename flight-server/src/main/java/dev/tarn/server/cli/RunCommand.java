package dev.tarn.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tarn.server.flight.PipelineAction;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.arrow.flight.Action;
import org.apache.arrow.flight.CallOption;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.Result;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tarn run DIR}: sends a pipeline project folder to a Tarn server, runs it, and prints each
 * step as it starts and as it finishes, and the lines its Python models print, as they print them.
 * Exits 0 when the run succeeded, 1 when it failed (the target branch is then
 * unchanged), 2 when the project could not be read.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run a pipeline project folder on a Tarn server, showing progress.")
final class RunCommand implements Callable<Integer> {
  /** Made on first use: picocli makes every command when any runs, and Jackson takes a while to load. */
  private static final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();
  }

  @Mixin
  ServerOptions server;

  @Parameters(index = "0", paramLabel = "DIR",
      description = "The project folder (*.py, *.sql, tarn_project.yml or bauplan_project.yml).")
  Path project;

  @Option(names = "--branch", description = "Branch to merge the results into (default: main).")
  String branch;

  @Option(names = "--dry-run", description = "Run every model and expectation; commit nothing.")
  boolean dryRun;

  @Option(names = "--param", paramLabel = "NAME=VALUE", description = "A run parameter (repeatable).")
  Map<String, String> parameters = new LinkedHashMap<>();

  @Override
  public Integer call() throws Exception {
    PrintStream out = System.out;
    ObjectNode request;
    try {
      request = request();
    } catch (IOException | IllegalArgumentException e) {
      System.err.println("tarn run: " + e.getMessage());
      return 2;
    }
    try (BufferAllocator allocator = new RootAllocator();
        ServerConnection connection = server.connect(allocator)) {
      FlightClient client = connection.client();
      CallOption[] options = server.login(client).toArray(new CallOption[0]);
      out.println("running " + project + (dryRun ? " (dry run)" : "") + " on " + (branch == null ? "main" : branch));
      Iterator<Result> results = client.doAction(new Action(PipelineAction.TYPE, Json.MAPPER.writeValueAsBytes(request)),
          options);
      while (results.hasNext()) {
        print(Json.MAPPER.readTree(results.next().getBody()), out);
        out.flush(); // a person follows the run: each line shows as it comes
      }
      CompletedCallMark.markCompleted();
      return 0;
    } catch (FlightRuntimeException e) {
      // the message quotes the model's traceback: keep its lines, clean each
      String message = String.valueOf(e.getMessage()).lines().map(RunCommand::printable)
          .collect(java.util.stream.Collectors.joining(System.lineSeparator()));
      System.err.println("run failed: " + message);
      return 1;
    }
  }

  /** The project's top-level files, as the server's action takes them. */
  private ObjectNode request() throws IOException {
    if (!Files.isDirectory(project)) {
      throw new IllegalArgumentException("the project folder " + project + " does not exist");
    }
    ObjectNode request = Json.MAPPER.createObjectNode();
    Path name = project.toAbsolutePath().normalize().getFileName();
    request.put("project", name == null ? project.toString() : name.toString());
    request.put("branch", branch);
    request.put("dry_run", dryRun);
    ObjectNode params = request.putObject("parameters");
    parameters.forEach(params::put);
    ObjectNode files = request.putObject("files");
    List<Path> sources;
    try (Stream<Path> listing = Files.list(project)) {
      sources = listing.filter(Files::isRegularFile).filter(RunCommand::isProjectFile).sorted().toList();
    }
    if (sources.isEmpty()) {
      throw new IllegalArgumentException(project + " holds no *.py or *.sql models");
    }
    for (Path source : sources) {
      files.put(source.getFileName().toString(), Base64.getEncoder().encodeToString(Files.readAllBytes(source)));
    }
    return request;
  }

  /**
   * A model's line as the terminal may show it: control characters (escape sequences that could
   * move the cursor or retitle the window) become visible {@code ?}, tabs stay.
   */
  static String printable(String line) {
    StringBuilder shown = new StringBuilder(line.length());
    line.codePoints().forEach(c -> {
      if (c == '\t' || !(Character.isISOControl(c) || Character.getType(c) == Character.FORMAT && c != 0x200D)) {
        shown.appendCodePoint(c);
      } else {
        shown.append('?');
      }
    });
    return shown.toString();
  }

  private static boolean isProjectFile(Path file) {
    String name = file.getFileName().toString();
    return name.endsWith(".py") || name.endsWith(".sql") || name.equals("tarn_project.yml")
        || name.equals("bauplan_project.yml") || name.equals("bauplan_project.yaml");
  }

  private static void print(JsonNode event, PrintStream out) {
    if (event.path("event").asText().equals("log")) {
      String stream = event.path("stream").asText();
      out.println("    " + event.path("step").asText() + (stream.equals("stderr") ? " ! " : " | ")
          + printable(event.path("line").asText()));
      return;
    }
    if (event.path("event").asText().equals("step")) {
      String status = event.path("status").asText();
      StringBuilder line = new StringBuilder("  ").append(String.format("%-9s %-12s %s", status,
          event.path("kind").asText(), event.path("step").asText()));
      if (status.equals("succeeded")) {
        line.append(String.format("  %,d rows, %d ms", event.path("rows").asLong(), event.path("duration_ms").asLong()));
      }
      if (event.hasNonNull("materialized_as")) {
        line.append("  -> ").append(event.path("materialized_as").asText());
      }
      if (event.hasNonNull("detail")) {
        line.append("  (").append(event.path("detail").asText()).append(')');
      }
      out.println(line);
      return;
    }
    String id = event.path("run_id").asText();
    if (event.path("dry_run").asBoolean()) {
      out.println("dry run " + id + " succeeded; nothing was committed");
    } else if (event.hasNonNull("commit_hash")) {
      out.println("run " + id + " succeeded: merged into " + event.path("target_branch").asText() + " as commit "
          + event.path("commit_hash").asText());
    } else {
      out.println("run " + id + " succeeded; it materialized nothing, so " + event.path("target_branch").asText()
          + " is unchanged");
    }
  }
}
