package dev.tarn.core.access;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import dev.tarn.core.StateFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Keeps the {@link AccessState} in {@code access.json} under the server's local folder (outside the
 * directories the engine may read, so no SQL reaches it), replaced whole by each change
 * ({@link StateFiles}): a crash leaves the old state or the new one, never a mix. Without a folder (embedded uses, tests) the state lives in memory only.
 */
public final class AccessStore {
  static final String FILE_NAME = "access.json";
  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private final Optional<Path> folder;

  private AccessStore(Optional<Path> folder) {
    this.folder = folder;
  }

  public static AccessStore inMemory() {
    return new AccessStore(Optional.empty());
  }

  public static AccessStore in(Path folder) {
    return new AccessStore(Optional.of(folder));
  }

  /** The stored state, or an empty one when nothing was stored yet. */
  public AccessState load() {
    if (folder.isEmpty() || !Files.exists(file())) {
      return AccessState.empty();
    }
    try {
      return JSON.readValue(file().toFile(), AccessState.class);
    } catch (IOException e) {
      // Starting with no grants would silently lock everyone but the admin out, or lose protections.
      throw new UncheckedIOException("cannot read the users and grants in " + file() + " (" + e.getMessage()
          + "); restore the file from a backup or move it away to start with none", e);
    }
  }

  public void save(AccessState state) {
    if (folder.isEmpty()) {
      return;
    }
    Path file = file();
    try {
      byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(new AccessState(state.sortedUsers(),
          state.sortedRoles(), state.grants(), state.sortedTokens(), new java.util.TreeSet<>(state.protectedBranches())));
      StateFiles.replace(file, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the users and grants to " + file + ": " + e.getMessage(), e);
    }
  }

  private Path file() {
    return folder.orElseThrow().resolve(FILE_NAME);
  }
}
