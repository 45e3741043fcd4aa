package dev.tarn.bench.cache;

/**
 * One pipeline run of one scan of the sequence, as timed and checked.
 *
 * @param seconds the run, from the request to its final record (planning, model discovery and
 *     environment lookup included)
 * @param stepSeconds the scan step plus the model step: reading the files and handing the rows to
 *     the model process, that process included
 * @param filesRead the data files the scan read, after Iceberg pruning
 * @param filesFromCache how many of them came from the cache (0 with the cache off)
 * @param rows rows the scan handed to the model
 */
record ScanRun(double seconds, double stepSeconds, int filesRead, int filesFromCache, long rows) {}
