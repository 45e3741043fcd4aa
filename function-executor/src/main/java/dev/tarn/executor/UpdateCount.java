package dev.tarn.executor;

/** A statement that changed rows (or the catalog) rather than returning them. 0 for DDL. */
public record UpdateCount(long rows) implements ExecutionResult {}
