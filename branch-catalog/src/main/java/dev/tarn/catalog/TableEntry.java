package dev.tarn.catalog;

/**
 * A table as the catalog stores it at one commit: its Nessie content id (stable across renames of
 * the metadata file, unique per creation) and the Iceberg metadata file that describes it.
 */
public record TableEntry(TableId id, String contentId, String metadataLocation) {}
