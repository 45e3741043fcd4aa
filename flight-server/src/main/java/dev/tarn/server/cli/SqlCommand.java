package dev.tarn.server.cli;

import dev.tarn.sql.SqlScripts;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.MalformedInputException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.flight.CallOption;
import org.apache.arrow.flight.CallOptions;
import org.apache.arrow.flight.FlightCallHeaders;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightEndpoint;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.HeaderCallOption;
import org.apache.arrow.flight.sql.FlightSqlClient;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code tarn sql}: runs statements against a Tarn server over Flight SQL, for CI scripts. Stops
 * at the first failing statement, prints it with its error, and exits non-zero.
 */
@Command(name = "sql", mixinStandardHelpOptions = true,
    description = "Run SQL statements on a Tarn server (one with -e, a script with -f).")
final class SqlCommand implements Callable<Integer> {
  @Mixin
  ServerOptions server;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Input input;

  static final class Input {
    @Option(names = {"-e", "--execute"}, paramLabel = "SQL", description = "Statements to run.")
    String sql;

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "A script of statements separated by ';'.")
    Path file;
  }

  @Option(names = "--branch", description = "Reference to work on (sent as the 'branch' header).")
  String branch;

  @Option(names = "--format", defaultValue = "table", description = "table, csv or json (default: ${DEFAULT-VALUE}).")
  OutputFormat format;

  @Override
  public Integer call() throws Exception {
    String script;
    try {
      script = input.sql != null ? input.sql : Files.readString(input.file);
    } catch (IOException e) {
      System.err.println("tarn sql: cannot read the script " + input.file + ": " + reason(e, input.file));
      return 2;
    }
    List<String> statements = SqlScripts.split(script);
    PrintStream out = System.out;
    try (BufferAllocator allocator = new RootAllocator();
        ServerConnection connection = server.connect(allocator);
        FlightSqlClient sql = new FlightSqlClient(connection.client())) {
      CallOption[] options = callOptions(connection.client());
      try (ScriptInterruption interruption = new ScriptInterruption(
          () -> rollBack(sql, options, ScriptTransactions.ROLLED_BACK_AFTER_ERROR))) {
        return runAll(sql, statements, options, out, interruption);
      }
    }
  }

  private int runAll(FlightSqlClient sql, List<String> statements, CallOption[] options, PrintStream out,
      ScriptInterruption interruption) throws Exception {
    boolean inTransaction = false;
    for (int i = 0; i < statements.size(); i++) {
      String statement = statements.get(i);
      try {
        inTransaction = interruption.run(i + 1, statements.size(), statement, inTransaction, () -> {
          run(sql, statement, options, out);
          return null;
        });
      } catch (ScriptInterruption.StoppingException e) {
        return 1; // the hook rolls back and reports (closing waits for it); the JVM ends with the signal's status
      } catch (FlightRuntimeException e) {
        System.err.println("error in statement " + (i + 1) + " of " + statements.size() + ":");
        System.err.println("  " + statement.strip().replace("\n", "\n  "));
        System.err.println(e.status().code() + ": " + e.getMessage());
        if (inTransaction) {
          interruption.rollingBack();
          rollBack(sql, options, ScriptTransactions.ROLLED_BACK_AFTER_ERROR);
        }
        return 1;
      }
    }
    if (inTransaction) {
      // a session shared through an API token would keep it open for the token's next client
      interruption.rollingBack();
      rollBack(sql, options, ScriptTransactions.ROLLED_BACK_AT_END);
      return 1;
    }
    if (!statements.isEmpty()) {
      CompletedCallMark.markCompleted();
    }
    return 0;
  }

  /**
   * Ends the transaction the script began and says so; it may have ended already (a failed COMMIT
   * ends it), which needs no word.
   */
  private static void rollBack(FlightSqlClient sql, CallOption[] options, String rolledBack) {
    try {
      CallOption[] limited = Arrays.copyOf(options, options.length + 1);
      limited[options.length] = CallOptions.timeout(30, TimeUnit.SECONDS); // a stop waits for it, not forever
      sql.executeUpdate("ROLLBACK", limited);
      System.err.println(rolledBack);
    } catch (FlightRuntimeException e) {
      if (!ScriptTransactions.alreadyEnded(e.getMessage())) {
        System.err.println(ScriptTransactions.NOT_ROLLED_BACK + e.getMessage());
      }
    }
  }

  private void run(FlightSqlClient sql, String statement, CallOption[] options, PrintStream out) throws Exception {
    FlightInfo info = sql.execute(statement, options);
    ResultPrinter printer = ResultPrinter.of(format, out);
    for (FlightEndpoint endpoint : info.getEndpoints()) {
      try (FlightStream stream = sql.getStream(endpoint.getTicket(), options)) {
        printer.start(stream.getSchema());
        while (stream.next()) {
          printer.batch(stream.getRoot());
        }
      }
    }
    printer.finish();
  }

  /** Why a file could not be read, in words: the JDK's exceptions for a missing file carry only its path. */
  private static String reason(IOException e, Path file) {
    if (Files.isDirectory(file)) {
      return "it is a folder";
    }
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof MalformedInputException) {
      return "it is not UTF-8 text";
    }
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }

  private CallOption[] callOptions(FlightClient client) {
    List<CallOption> options = new ArrayList<>(server.login(client));
    if (branch != null) {
      FlightCallHeaders headers = new FlightCallHeaders();
      headers.insert("branch", branch);
      options.add(new HeaderCallOption(headers));
    }
    return options.toArray(new CallOption[0]);
  }
}
