package dev.tarn.core.review;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tarn.core.StateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Keeps merge requests in {@code merge-requests.json} in the server's access folder (which no SQL
 * reaches), replaced whole by each change; in memory only without a folder.
 */
final class MergeRequestStore {
  static final String FILE_NAME = "merge-requests.json";
  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private final Optional<Path> file;

  private MergeRequestStore(Optional<Path> file) {
    this.file = file;
  }

  static MergeRequestStore inMemory() {
    return new MergeRequestStore(Optional.empty());
  }

  static MergeRequestStore in(Path folder) {
    return new MergeRequestStore(Optional.of(folder.resolve(FILE_NAME)));
  }

  /** What was stored: the requests and the next number to give. */
  record Stored(long nextId, List<Row> requests) {
    Stored {
      requests = requests == null ? List.of() : List.copyOf(requests);
    }
  }

  /** A request as JSON keeps it: absent values are nulls. */
  record Row(long id, String source, String sourceHash, String target, String title, String project,
      String author, String createdAt, String state, String decidedBy, String decidedAt, String mergeCommit,
      String note) {

    static Row of(MergeRequest r) {
      return new Row(r.id(), r.source(), r.sourceHash(), r.target(), r.title(), r.project().orElse(null),
          r.author(), r.createdAt().toString(), r.state().name(), r.decidedBy().orElse(null),
          r.decidedAt().map(Instant::toString).orElse(null), r.mergeCommit().orElse(null), r.note().orElse(null));
    }

    MergeRequest request() {
      return new MergeRequest(id, source, sourceHash, target, title, Optional.ofNullable(project), author,
          Instant.parse(createdAt), MergeRequest.State.valueOf(state), Optional.ofNullable(decidedBy),
          Optional.ofNullable(decidedAt).map(Instant::parse), Optional.ofNullable(mergeCommit),
          Optional.ofNullable(note));
    }
  }

  Stored load() {
    if (file.isEmpty() || !Files.exists(file.get())) {
      return new Stored(1, List.of());
    }
    try {
      return JSON.readValue(file.get().toFile(), Stored.class);
    } catch (IOException | RuntimeException e) {
      // starting with none would let approved numbers be given again and lose what people proposed
      throw new IllegalStateException("cannot read the merge requests in " + file.get() + " (" + e.getMessage()
          + "); restore the file from a backup or move it away to start with none", e);
    }
  }

  void save(long nextId, List<MergeRequest> requests) {
    if (file.isEmpty()) {
      return;
    }
    try {
      StateFiles.replace(file.get(), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(
          new Stored(nextId, requests.stream().map(Row::of).toList())));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the merge requests to " + file.get() + ": " + e.getMessage(), e);
    }
  }
}
