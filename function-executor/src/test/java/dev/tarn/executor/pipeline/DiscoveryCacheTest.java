package dev.tarn.executor.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same project files are discovered once; a changed file is discovered again. */
class DiscoveryCacheTest {

  /** Stands in for the discovery process: one model per file, named after the file, counted. */
  private static Function<List<Path>, List<ModelDefinition>> counting(AtomicInteger calls) {
    return files -> {
      calls.incrementAndGet();
      List<ModelDefinition> found = new ArrayList<>();
      for (Path f : files) {
        String name = f.getFileName().toString().replace(".py", "");
        found.add(new ModelDefinition(name, ModelDefinition.Kind.PYTHON_MODEL, f.toAbsolutePath(), name, false,
            null, "3.11", Map.of(), List.of(), Map.of(), null));
      }
      return found;
    };
  }

  @Test
  void unchangedFilesAreAnsweredFromMemoryInTheirCurrentFolder(@TempDir Path dir) throws Exception {
    Path first = Files.createDirectories(dir.resolve("first"));
    Path second = Files.createDirectories(dir.resolve("second"));
    Files.writeString(first.resolve("m.py"), "a = 1\n");
    Files.writeString(second.resolve("m.py"), "a = 1\n");
    DiscoveryCache cache = new DiscoveryCache();
    AtomicInteger calls = new AtomicInteger();

    cache.discover(List.of(first.resolve("m.py")), counting(calls));
    List<ModelDefinition> again = cache.discover(List.of(second.resolve("m.py")), counting(calls));
    assertEquals(1, calls.get(), "the same contents in another folder (a sent project) are not discovered again");
    assertEquals(second.resolve("m.py").toAbsolutePath(), again.get(0).file(), "files point into the current folder");

    Files.writeString(second.resolve("m.py"), "a = 2\n");
    cache.discover(List.of(second.resolve("m.py")), counting(calls));
    assertEquals(2, calls.get(), "a changed file is discovered again");
  }
}
