package dev.tarn.catalog.nessie;

import dev.tarn.catalog.CatalogException;
import dev.tarn.catalog.Housekeeping;
import dev.tarn.catalog.Reference;
import dev.tarn.catalog.Retention;
import dev.tarn.catalog.iceberg.LocalFileIO;
import dev.tarn.catalog.iceberg.MetadataFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.iceberg.ContentFile;
import org.apache.iceberg.ManifestContent;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.StatisticsFile;
import org.apache.iceberg.PartitionStatisticsFile;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.exceptions.NotFoundException;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.SupportsPrefixOperations;
import org.projectnessie.model.Content;
import org.projectnessie.model.IcebergTable;

/**
 * Finds, and deletes, the files under the warehouse that no kept commit refers to.
 *
 * <p>The kept commits are found the way Nessie's own garbage collection finds live content: the
 * history of every branch and tag (hidden ones too: transactions, pipeline runs), first parents
 * from the head, with the merge parents a kept commit names; each is kept by {@link Retention}.
 * A kept commit refers, for each table it holds, to the table's metadata file and to what reading
 * its current snapshot needs: the manifest list, the manifests, their data and delete files, and
 * statistics files. Every file under the warehouse location that none of them names, and that is
 * older than the grace period, is unreferenced. Nothing outside the warehouse location is ever
 * listed, so nothing outside it is ever deleted.
 */
final class UnreferencedFiles {
  private final VersionedStore store;
  private final FileIO io;
  private final String warehouse;
  private final String noAncestor;

  UnreferencedFiles(VersionedStore store, FileIO io, String warehouse, String noAncestor) {
    this.store = store;
    this.io = io;
    this.warehouse = warehouse.endsWith("/") ? warehouse.substring(0, warehouse.length() - 1) : warehouse;
    this.noAncestor = noAncestor;
  }

  Housekeeping run(Retention retention, boolean dryRun, Instant now) {
    if (!(io instanceof SupportsPrefixOperations listing)) {
      throw new CatalogException("cannot list the files of the warehouse " + warehouse + " to find unreferenced ones");
    }
    List<Reference> references = store.references();
    Set<String> kept = keptCommits(references, retention);
    Set<String> referred = referredFiles(kept);
    long cutoff = now.minus(retention.grace()).toEpochMilli();
    List<Housekeeping.RemovedFile> removed = new ArrayList<>();
    long stays = 0;
    for (FileInfo file : listing.listPrefix(warehouse + "/")) {
      String location = file.location();
      if (!inside(location) || referred.contains(normalized(location)) || file.createdAtMillis() > cutoff) {
        stays++;
        continue;
      }
      removed.add(new Housekeeping.RemovedFile(location, file.size()));
    }
    if (!dryRun) {
      for (Housekeeping.RemovedFile file : removed) {
        io.deleteFile(file.location());
      }
      if (!removed.isEmpty()) {
        MetadataFiles.forgetRemembered(); // after deleting: nothing read since can bring a deleted file back
      }
    }
    removed.sort(java.util.Comparator.comparing(Housekeeping.RemovedFile::location));
    return new Housekeeping(references.size(), kept.size(), stays, removed);
  }

  /** Every commit whose files stay: walked from each reference's head, then from kept merge parents. */
  private Set<String> keptCommits(List<Reference> references, Retention retention) {
    Set<String> kept = new HashSet<>();
    Deque<String> mergeParents = new ArrayDeque<>();
    for (Reference reference : references) {
      walk(reference.hash(), retention.retainLast(), retention, kept, mergeParents);
    }
    while (!mergeParents.isEmpty()) {
      walk(mergeParents.pop(), 0, retention, kept, mergeParents);
    }
    return kept;
  }

  /**
   * Walks first parents from {@code head}: the first {@code retainLast} commits are kept, then those
   * inside the retention window; the walk ends at the first commit left out (everything before it is
   * older), or past the first {@code retainLast} at a commit already kept (its history was walked).
   */
  private void walk(String head, int retainLast, Retention retention, Set<String> kept, Deque<String> mergeParents) {
    if (head == null || head.equals(noAncestor)) {
      return;
    }
    int[] position = {0};
    try {
      store.log(head, false, 100, commit -> {
        boolean counted = position[0]++ < retainLast;
        if (!counted && kept.contains(commit.hash())) {
          return false; // kept by another walk, which went on from there by the same time rule
        }
        Instant made = commit.meta() == null ? null : commit.meta().getCommitTime();
        boolean inWindow = retention.expireBefore().isEmpty() || made == null
            || !made.isBefore(retention.expireBefore().get());
        if (!counted && !inWindow) {
          return false;
        }
        kept.add(commit.hash());
        List<String> parents = commit.parents();
        for (int i = 1; i < parents.size(); i++) {
          mergeParents.push(parents.get(i));
        }
        return true;
      });
    } catch (VersionedStore.NotFound e) {
      // a merge parent whose history is gone (its branch was dropped and collected): nothing to keep
    }
  }

  /** The files every table of every kept commit needs, normalized. */
  private Set<String> referred(Set<String> metadataLocations) {
    Set<String> files = new HashSet<>();
    for (String location : metadataLocations) {
      files.add(normalized(location));
      TableMetadata metadata;
      try {
        metadata = MetadataFiles.read(io, location);
      } catch (NotFoundException e) {
        continue; // already gone: nothing it names can be read anyway
      }
      metadata.statisticsFiles().stream().map(StatisticsFile::path).forEach(p -> files.add(normalized(p)));
      metadata.partitionStatisticsFiles().stream().map(PartitionStatisticsFile::path)
          .forEach(p -> files.add(normalized(p)));
      Snapshot snapshot = metadata.currentSnapshot();
      if (snapshot == null) {
        continue;
      }
      if (snapshot.manifestListLocation() != null) {
        files.add(normalized(snapshot.manifestListLocation()));
      }
      for (ManifestFile manifest : snapshot.allManifests(io)) {
        files.add(normalized(manifest.path()));
        try (CloseableIterable<? extends ContentFile<?>> entries = manifest.content() == ManifestContent.DATA
            ? ManifestFiles.read(manifest, io, metadata.specsById())
            : ManifestFiles.readDeleteManifest(manifest, io, metadata.specsById())) {
          for (ContentFile<?> f : entries) {
            files.add(normalized(f.location()));
          }
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read the manifest " + manifest.path(), e);
        }
      }
    }
    return files;
  }

  private Set<String> referredFiles(Set<String> kept) {
    Set<String> metadataLocations = new HashSet<>();
    Set<String> views = new HashSet<>();
    for (String commit : kept) {
      try {
        store.entries(commit, true, (key, type) -> Content.Type.ICEBERG_TABLE.equals(type)
                || Content.Type.ICEBERG_VIEW.equals(type),
            (key, content) -> {
              if (content instanceof IcebergTable t) {
                metadataLocations.add(t.getMetadataLocation());
              } else if (content instanceof org.projectnessie.model.IcebergView v) {
                views.add(normalized(v.getMetadataLocation())); // a view is its metadata file alone
              }
            });
      } catch (VersionedStore.NotFound e) {
        throw new CatalogException("commit " + commit + " vanished while its files were being listed", e);
      }
    }
    Set<String> files = referred(metadataLocations);
    files.addAll(views);
    return files;
  }

  private boolean inside(String location) {
    String normal = normalized(location);
    return normal.startsWith(normalized(warehouse) + "/") && !normal.contains("/../") && !normal.contains("/./");
  }

  /** One spelling per file: local paths as paths, s3a:// and s3n:// as s3://. */
  static String normalized(String location) {
    String local = LocalFileIO.localPath(location);
    String lower = local.toLowerCase(Locale.ROOT);
    if (lower.startsWith("s3a://") || lower.startsWith("s3n://")) {
      return "s3://" + local.substring(6);
    }
    return local;
  }
}
