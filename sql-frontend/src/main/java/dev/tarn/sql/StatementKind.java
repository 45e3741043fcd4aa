package dev.tarn.sql;

/** What a statement does, as far as the server needs to know to route, secure and count it. */
public enum StatementKind {
  /** Returns rows: SELECT, WITH, VALUES, FROM-first, TABLE, plus DuckDB's SHOW/DESCRIBE/SUMMARIZE/EXPLAIN/PRAGMA queries. */
  QUERY,
  /** Changes rows: INSERT, UPDATE, DELETE, MERGE INTO. */
  DML,
  /** Changes the catalog: CREATE, ALTER, DROP, plus statements touching files (COPY, EXPORT, IMPORT, ATTACH, INSTALL, LOAD). */
  DDL,
  /** Changes session state: SET, RESET, USE. */
  SESSION,
  /** BEGIN, COMMIT, ROLLBACK. */
  TRANSACTION,
  /** Tarn's own statements: branch and tag commands, RUN PIPELINE, SHOW RUNS. */
  TARN_COMMAND,
  /** Anything else DuckDB may still understand (CHECKPOINT, VACUUM, CALL...). */
  OTHER
}
