package dev.tarn.executor.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Following a growing output file: whole lines only, in order, bounded. */
class OutputFollowerTest {
  @TempDir
  Path dir;

  private final List<String> seen = new ArrayList<>();

  private OutputFollower follow(Path file) {
    return new OutputFollower(file, ModelOutput.Stream.STDOUT, (stream, line) -> seen.add(line));
  }

  private static void append(Path file, String text) throws IOException {
    Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  @Test
  void handsOnCompleteLinesAsTheFileGrowsAndTheLastOneAtTheEnd() throws IOException {
    Path file = dir.resolve("stdout.log");
    OutputFollower follower = follow(file);
    follower.poll(); // no file yet: nothing, no error
    append(file, "first\r\nsec");
    follower.poll();
    assertEquals(List.of("first"), seen, "a half-written line waits");
    append(file, "ond ✓ 日本\nno line break at the end");
    follower.poll();
    assertEquals(List.of("first", "second ✓ 日本"), seen);
    follower.finish();
    assertEquals(List.of("first", "second ✓ 日本", "no line break at the end"), seen);
  }

  @Test
  void cutsLongLinesAndStopsFollowingAFlood() throws IOException {
    Path file = dir.resolve("stdout.log");
    StringBuilder text = new StringBuilder("y".repeat(OutputFollower.MAX_LINE_BYTES * 3)).append('\n');
    for (int i = 0; i < OutputFollower.MAX_LINES + 5_000; i++) {
      text.append(i).append('\n');
    }
    append(file, text.toString());
    OutputFollower follower = follow(file);
    for (int i = 0; i < 100; i++) {
      follower.poll();
    }
    follower.finish();
    assertTrue(seen.get(0).startsWith("y".repeat(OutputFollower.MAX_LINE_BYTES) + " [… line cut at"), seen.get(0));
    assertEquals(OutputFollower.MAX_LINES + 1, seen.size(), "the lines followed, then one note");
    assertTrue(seen.get(seen.size() - 1).contains("not shown live"), seen.get(seen.size() - 1));
  }
}
