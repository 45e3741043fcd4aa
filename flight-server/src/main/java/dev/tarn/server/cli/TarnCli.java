package dev.tarn.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code tarn} command: serve, sql. */
@Command(
    name = "tarn",
    mixinStandardHelpOptions = true,
    versionProvider = TarnCli.Version.class,
    description = "Tarn: a lakehouse you talk to like a database (Arrow Flight SQL over DuckDB).",
    subcommands = {ServeCommand.class, SqlCommand.class, RunCommand.class, CommandLine.HelpCommand.class})
public final class TarnCli {

  public static void main(String[] args) {
    int exit = new CommandLine(new TarnCli())
        .setExecutionExceptionHandler((e, cmd, parsed) -> {
          cmd.getErr().println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
          return 1;
        })
        .execute(args);
    if (exit != 0 || args.length == 0 || !"serve".equals(args[0])) {
      System.exit(exit);
    }
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"tarn " + dev.tarn.server.TarnServer.VERSION};
    }
  }
}
