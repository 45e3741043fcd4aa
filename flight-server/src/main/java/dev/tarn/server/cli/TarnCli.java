package dev.tarn.server.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/** The {@code tarn} command: serve, sql, run, mcp. */
@Command(
    name = "tarn",
    mixinStandardHelpOptions = true,
    versionProvider = TarnCli.Version.class,
    description = "Tarn: a lakehouse you talk to like a database (Arrow Flight SQL over DuckDB).")
public final class TarnCli {
  /**
   * The subcommands, built on demand: picocli reads every option of a command as it is added, and a
   * {@code tarn sql} call, which scripts make many times, should not pay for reading {@code serve}'s.
   */
  private static final Map<String, Supplier<Object>> SUBCOMMANDS = subcommands();

  private static Map<String, Supplier<Object>> subcommands() {
    Map<String, Supplier<Object>> commands = new LinkedHashMap<>();
    commands.put("serve", ServeCommand::new);
    commands.put("sql", SqlCommand::new);
    commands.put("run", RunCommand::new);
    commands.put("mcp", McpCommand::new);
    return commands;
  }

  public static void main(String[] args) {
    int exit = commandLine(args).execute(args);
    if (exit != 0 || args.length == 0 || !"serve".equals(args[0])) {
      System.exit(exit);
    }
  }

  /**
   * The command line as {@code main} runs it for these arguments: errors printed plainly, bad
   * environment defaults named. A call naming a subcommand gets only that one; any other (help, a
   * typo) gets them all, so that usage lists and suggestions are whole.
   */
  public static CommandLine commandLine(String... args) {
    CommandLine commandLine = new CommandLine(new TarnCli());
    Supplier<Object> named = args.length == 0 ? null : SUBCOMMANDS.get(args[0]);
    if (named != null) {
      commandLine.addSubcommand(args[0], named.get());
    } else {
      SUBCOMMANDS.forEach((name, command) -> commandLine.addSubcommand(name, command.get()));
      commandLine.addSubcommand(new CommandLine.HelpCommand());
    }
    // set after the subcommands are added: picocli hands these handlers down to the commands it has then
    commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
      cmd.getErr().println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
      return 1;
    });
    IParameterExceptionHandler standard = commandLine.getParameterExceptionHandler();
    return commandLine.setParameterExceptionHandler((e, given) -> {
      environmentSource(e).ifPresent(variable -> e.getCommandLine().getErr()
          .println("tarn: the value comes from the environment variable " + variable));
      return standard.handleParseException(e, given);
    });
  }

  /** The TARN_SERVE_* variable that supplied the option a parse error is about, if the value came from one. */
  private static Optional<String> environmentSource(ParameterException e) {
    if (!(e.getArgSpec() instanceof OptionSpec option)
        || !(e.getCommandLine().getCommandSpec().defaultValueProvider() instanceof EnvironmentDefaults environment)
        || e.getCommandLine().getParseResult() != null && e.getCommandLine().getParseResult().hasMatchedOption(option)) {
      return Optional.empty();
    }
    return environment.setting(option).map(Map.Entry::getKey);
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"tarn " + dev.tarn.server.TarnServer.VERSION};
    }
  }
}
