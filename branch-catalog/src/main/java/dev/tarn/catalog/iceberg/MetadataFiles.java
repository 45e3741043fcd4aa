package dev.tarn.catalog.iceberg;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableMetadataParser;
import org.apache.iceberg.io.FileIO;

/**
 * Names, writes and reads Iceberg table metadata files.
 *
 * <p>Read files are remembered: a metadata file is never changed once written (every change writes
 * a new one, under a new random name), and it holds the table's whole history, so parsing it again
 * for every statement grew with the table's snapshots and became most of a one-row INSERT. Bounded
 * by the snapshots and log entries the remembered files hold; housekeeping forgets them all once
 * it has deleted any ({@link #forgetRemembered}).
 */
public final class MetadataFiles {
  private static final Pattern VERSION = Pattern.compile("(\\d+)-[^/]*\\.metadata\\.json$");
  /** Snapshots, log entries and schemas, all remembered files together. */
  private static final long MAX_WEIGHT = 500_000;

  private static final Cache<String, TableMetadata> READ = Caffeine.newBuilder()
      .maximumWeight(MAX_WEIGHT)
      .weigher((String location, TableMetadata m) -> 1 + m.snapshots().size() + m.snapshotLog().size()
          + m.previousFiles().size() + m.schemas().size())
      .build();

  private MetadataFiles() {}

  /**
   * Writes {@code metadata} as a new metadata file next to the previous one: {@code
   * <location>/metadata/<version>-<uuid>.metadata.json}. The random part keeps two branches that
   * change one table to the same version from colliding. The file lists only the newest snapshots
   * of each line of the table's history ({@link SnapshotHistory}), so it does not grow with every
   * write.
   */
  public static String write(FileIO io, TableMetadata written) {
    TableMetadata metadata = SnapshotHistory.trimmed(written);
    // A change staged in memory has no file yet: the previous file is the last one its log names.
    String previous = written.metadataFileLocation() != null ? written.metadataFileLocation()
        : written.previousFiles().isEmpty() ? null : written.previousFiles().get(written.previousFiles().size() - 1).file();
    int version = previousVersion(previous) + 1;
    String location =
        String.format(
            Locale.ROOT,
            "%s/metadata/%05d-%s.metadata.json",
            metadata.location(),
            version,
            UUID.randomUUID());
    TableMetadataParser.write(metadata, io.newOutputFile(location));
    // The file holds exactly this metadata at its new location: remembered as written, the next
    // statement on the table (the next INSERT's commit) need not parse it back.
    READ.put(location, TableMetadata.buildFrom(metadata).discardChanges().withMetadataLocation(location).build());
    return location;
  }

  static int previousVersion(String metadataLocation) {
    if (metadataLocation == null) {
      return -1;
    }
    Matcher m = VERSION.matcher(metadataLocation);
    return m.find() ? Integer.parseInt(m.group(1)) : -1;
  }

  public static TableMetadata read(FileIO io, String location) {
    return READ.get(location, l -> TableMetadataParser.read(io, l));
  }

  /**
   * Forgets every remembered file, once housekeeping has deleted some: reading a deleted one must
   * fail as reading any missing file does. (Listings may spell a location unlike the catalog does.)
   */
  public static void forgetRemembered() {
    READ.invalidateAll();
  }
}
