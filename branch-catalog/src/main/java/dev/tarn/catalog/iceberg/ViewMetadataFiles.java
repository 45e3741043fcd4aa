package dev.tarn.catalog.iceberg;

import dev.tarn.catalog.TableId;
import dev.tarn.catalog.ViewEntry;
import java.util.UUID;
import org.apache.iceberg.Schema;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.view.ImmutableSQLViewRepresentation;
import org.apache.iceberg.view.ImmutableViewVersion;
import org.apache.iceberg.view.SQLViewRepresentation;
import org.apache.iceberg.view.ViewMetadata;
import org.apache.iceberg.view.ViewMetadataParser;
import org.apache.iceberg.view.ViewRepresentation;
import org.apache.iceberg.view.ViewVersion;

/**
 * Writes and reads the Iceberg view metadata file of a Tarn view: one version with one SQL
 * representation in DuckDB's dialect, the schema it returned when made, and the namespace its
 * unqualified names resolve in.
 */
public final class ViewMetadataFiles {
  /** The dialect of every view Tarn writes. */
  public static final String DIALECT = "duckdb";

  private ViewMetadataFiles() {}

  /** Writes the metadata of a view under {@code location}; returns the file's location. */
  public static ViewMetadata write(FileIO io, String location, String sql, String defaultNamespace, Schema schema) {
    ViewVersion version = ImmutableViewVersion.builder()
        .versionId(1)
        .schemaId(schema.schemaId())
        .timestampMillis(System.currentTimeMillis())
        .defaultNamespace(Namespace.of(defaultNamespace))
        .putSummary("engine-name", "tarn")
        .addRepresentations(ImmutableSQLViewRepresentation.builder().sql(sql).dialect(DIALECT).build())
        .build();
    ViewMetadata metadata = ViewMetadata.builder()
        .assignUUID(UUID.randomUUID().toString())
        .setLocation(location)
        .setCurrentVersion(version, schema)
        .build();
    String file = location + "/metadata/00000-" + UUID.randomUUID() + ".metadata.json";
    ViewMetadataParser.write(metadata, io.newOutputFile(file));
    return ViewMetadataParser.read(io, file);
  }

  /** The view a metadata file describes. */
  public static ViewEntry read(FileIO io, TableId id, String metadataLocation) {
    ViewMetadata metadata = ViewMetadataParser.read(io, metadataLocation);
    ViewVersion version = metadata.currentVersion();
    String sql = null;
    for (ViewRepresentation r : version.representations()) {
      if (r instanceof SQLViewRepresentation s && (sql == null || DIALECT.equalsIgnoreCase(s.dialect()))) {
        sql = s.sql();
      }
    }
    if (sql == null) {
      throw new IllegalStateException("view " + id + " has no SQL representation in " + metadataLocation);
    }
    String namespace = version.defaultNamespace().isEmpty() ? id.namespace() : version.defaultNamespace().level(0);
    return new ViewEntry(id, sql, namespace, metadataLocation);
  }
}
