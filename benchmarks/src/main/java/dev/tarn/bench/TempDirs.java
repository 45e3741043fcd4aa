package dev.tarn.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The benchmarks' scratch folders: removed when a benchmark ends, whatever is in them. */
public final class TempDirs {
  private TempDirs() {}

  /** Deletes the folder and everything under it; a leftover temporary folder is harmless, so failures are ignored. */
  public static void deleteQuietly(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // nothing more to do: the operating system clears temporary folders eventually
    }
  }
}
