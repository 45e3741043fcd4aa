package dev.tarn.catalog.iceberg;

import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableMetadataParser;
import org.apache.iceberg.io.FileIO;

/** Names, writes and reads Iceberg table metadata files. */
public final class MetadataFiles {
  private static final Pattern VERSION = Pattern.compile("(\\d+)-[^/]*\\.metadata\\.json$");

  private MetadataFiles() {}

  /**
   * Writes {@code metadata} as a new metadata file next to the previous one: {@code
   * <location>/metadata/<version>-<uuid>.metadata.json}. The random part keeps two branches that
   * change one table to the same version from colliding.
   */
  public static String write(FileIO io, TableMetadata metadata) {
    int version = previousVersion(metadata.metadataFileLocation()) + 1;
    String location =
        String.format(
            Locale.ROOT,
            "%s/metadata/%05d-%s.metadata.json",
            metadata.location(),
            version,
            UUID.randomUUID());
    TableMetadataParser.write(metadata, io.newOutputFile(location));
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
    return TableMetadataParser.read(io, location);
  }
}
