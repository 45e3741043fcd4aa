package dev.tarn.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.List;
import java.util.Optional;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/**
 * {@code --profile}: a JDK Flight Recorder profile of each benchmark, one file for the benchmark's
 * own JVM (clients, embedded DuckDB, in-process pipelines) and one per Tarn server process it
 * starts. The files go beside the results; open them with JDK Mission Control or {@code jfr print}.
 */
public final class Profiler {
  /** Set while a benchmark is profiled: the folder server processes write their recordings to. */
  static final String SERVER_PROFILE_DIR = "tarn.bench.profile.dir";

  private Profiler() {}

  /** Starts recording the benchmark's JVM; the recording is written when the returned handle closes. */
  static Recording start(Path outDir, String stamp, String benchmark) throws IOException, ParseException {
    Path dir = Files.createDirectories(outDir.resolve(stamp + "-" + benchmark + "-profile"));
    System.setProperty(SERVER_PROFILE_DIR, dir.toAbsolutePath().toString());
    Recording recording = new Recording(Configuration.getConfiguration("profile"));
    recording.setName("tarn-bench-" + benchmark);
    recording.setToDisk(true);
    recording.setDestination(dir.resolve("bench.jfr"));
    recording.start();
    return recording;
  }

  /** Stops the recording, which writes it to its destination. */
  static Path stop(Recording recording) {
    System.clearProperty(SERVER_PROFILE_DIR);
    Path destination = recording.getDestination();
    recording.stop();
    recording.close();
    return destination.getParent();
  }

  /** The JVM options a server process records its profile with, when a benchmark is profiled. */
  static List<String> serverOptions(int port) {
    return Optional.ofNullable(System.getProperty(SERVER_PROFILE_DIR))
        .map(dir -> List.of("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
            + Path.of(dir, "server-" + port + ".jfr")))
        .orElse(List.of());
  }
}
