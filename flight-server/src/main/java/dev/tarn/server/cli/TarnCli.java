package dev.tarn.server.cli;

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
    description = "Tarn: a lakehouse you talk to like a database (Arrow Flight SQL over DuckDB).",
    subcommands = {ServeCommand.class, SqlCommand.class, RunCommand.class, McpCommand.class, CommandLine.HelpCommand.class})
public final class TarnCli {

  public static void main(String[] args) {
    int exit = commandLine().execute(args);
    if (exit != 0 || args.length == 0 || !"serve".equals(args[0])) {
      System.exit(exit);
    }
  }

  /** The command line as {@code main} runs it: errors printed plainly, bad environment defaults named. */
  public static CommandLine commandLine() {
    CommandLine commandLine = new CommandLine(new TarnCli())
        .setExecutionExceptionHandler((e, cmd, parsed) -> {
          cmd.getErr().println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
          return 1;
        });
    IParameterExceptionHandler standard = commandLine.getParameterExceptionHandler();
    return commandLine.setParameterExceptionHandler((e, args) -> {
      environmentSource(e).ifPresent(variable -> e.getCommandLine().getErr()
          .println("tarn: the value comes from the environment variable " + variable));
      return standard.handleParseException(e, args);
    });
  }

  /** The TARN_SERVE_* variable that supplied the option a parse error is about, if the value came from one. */
  private static java.util.Optional<String> environmentSource(ParameterException e) {
    if (!(e.getArgSpec() instanceof OptionSpec option)
        || !(e.getCommandLine().getCommandSpec().defaultValueProvider() instanceof EnvironmentDefaults environment)
        || e.getCommandLine().getParseResult() != null && e.getCommandLine().getParseResult().hasMatchedOption(option)) {
      return java.util.Optional.empty();
    }
    return environment.setting(option).map(java.util.Map.Entry::getKey);
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"tarn " + dev.tarn.server.TarnServer.VERSION};
    }
  }
}
