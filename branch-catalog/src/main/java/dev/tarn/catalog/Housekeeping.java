package dev.tarn.catalog;

import java.util.List;

/**
 * What removing unreferenced files did, or would do on a dry run.
 *
 * @param references the branches and tags whose histories were walked
 * @param commitsKept the commits whose files stay
 * @param filesKept the files under the warehouse that stay (referred to, or within the grace period)
 * @param removed the files removed (or that would be), by location, with their sizes
 */
public record Housekeeping(int references, int commitsKept, long filesKept, List<RemovedFile> removed) {
  public Housekeeping {
    removed = List.copyOf(removed);
  }

  /** One file that no kept commit refers to. */
  public record RemovedFile(String location, long bytes) {}

  public long bytesRemoved() {
    return removed.stream().mapToLong(RemovedFile::bytes).sum();
  }
}
