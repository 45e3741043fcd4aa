package dev.tarn.server.cli;

/** How {@code tarn sql} prints results. */
enum OutputFormat { table, csv, json }
