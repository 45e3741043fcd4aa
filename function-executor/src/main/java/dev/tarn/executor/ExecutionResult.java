package dev.tarn.executor;

/** What running a statement produced: rows to stream, or a count of changed rows. */
public sealed interface ExecutionResult permits RowStream, UpdateCount {}
