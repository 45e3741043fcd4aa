package dev.tarn.executor.pipeline;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;

/**
 * Discovered models, remembered by the names and contents of the files they came from. The same
 * project run again (or sent again by {@code tarn run}, into a new folder) is not discovered again
 * unless a file changed. Definitions are kept with file names relative to their folder and
 * handed back with the folder of the current run. Bounded (a Caffeine cache: the projects least
 * likely to be run again are dropped first).
 *
 * <p>What discovery reads beyond the listed files (modules in subfolders, the environment) is not
 * part of the key: a project whose declarations depend on those is discovered anew only when one
 * of its listed files changes.
 */
final class DiscoveryCache {
  private static final int MAX_PROJECTS = 256;

  private final Cache<String, List<ModelDefinition>> known = Caffeine.newBuilder().maximumSize(MAX_PROJECTS).build();

  List<ModelDefinition> discover(List<Path> files, Function<List<Path>, List<ModelDefinition>> discovery) {
    Path folder = files.get(0).toAbsolutePath().normalize().getParent();
    boolean oneFolder = files.stream().allMatch(f -> f.toAbsolutePath().normalize().getParent().equals(folder));
    if (!oneFolder) {
      return discovery.apply(files);
    }
    String key = key(files);
    List<ModelDefinition> relative = known.getIfPresent(key);
    if (relative == null) {
      List<ModelDefinition> found = discovery.apply(files);
      relative = relocate(found, folder, null);
      if (relative == null) {
        return found; // a definition from outside the folder: nothing to relocate safely
      }
      known.put(key, relative);
    }
    return relocate(relative, null, folder);
  }

  /** File names and a digest of each file's bytes, in order. */
  private static String key(List<Path> files) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      StringBuilder key = new StringBuilder();
      for (Path file : files) {
        key.append(file.getFileName()).append(':')
            .append(HexFormat.of().formatHex(digest.digest(Files.readAllBytes(file)))).append('\n');
      }
      return key.toString();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The definitions with their files moved: made relative to {@code from} (null when leaving them
   * as they are), then resolved in {@code to} (null to keep them relative). Null when a file is
   * not inside {@code from}.
   */
  private static List<ModelDefinition> relocate(List<ModelDefinition> definitions, Path from, Path to) {
    List<ModelDefinition> moved = new ArrayList<>();
    for (ModelDefinition d : definitions) {
      Path file = d.file();
      if (from != null) {
        Path absolute = file.toAbsolutePath().normalize();
        if (!from.equals(absolute.getParent())) {
          return null;
        }
        file = absolute.getFileName();
      }
      if (to != null) {
        file = to.resolve(file);
      }
      moved.add(d.withFile(file));
    }
    return moved;
  }
}
