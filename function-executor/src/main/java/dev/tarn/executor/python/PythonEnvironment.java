package dev.tarn.executor.python;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * An assembled environment, ready to run models in.
 *
 * @param spec what the model declared
 * @param hash the content address of the environment (its folder name)
 * @param directory the virtual environment, {@code <cache>/envs/<hash>}
 * @param python its interpreter
 * @param reused whether it existed already (a warm start) or was assembled now
 * @param assembleTime how long {@link Environments#assemble} took
 */
public record PythonEnvironment(
    EnvironmentSpec spec, String hash, Path directory, Path python, boolean reused, Duration assembleTime) {

  /**
   * A command line running this environment's interpreter isolated ({@code -I}: no PYTHON*
   * variables, no user site, no current folder on sys.path), with bytecode cached inside the
   * environment rather than next to the sources (project folders and Tarn's runtime stay clean).
   */
  public List<String> command(String... args) {
    List<String> command = new ArrayList<>(List.of(python.toString(), "-I",
        "-X", "pycache_prefix=" + directory.resolve("pycache")));
    command.addAll(List.of(args));
    return command;
  }
}
