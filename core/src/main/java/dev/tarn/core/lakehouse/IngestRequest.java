package dev.tarn.core.lakehouse;

import java.util.Optional;

/**
 * A bulk ingest (Flight SQL CommandStatementIngest, ADBC {@code adbc_ingest}): append an Arrow
 * stream to a table as one commit, creating or replacing the table when asked.
 *
 * @param branch the Flight SQL catalog named by the client, else the session's reference
 * @param schema the namespace, else the session's schema
 * @param table the table name
 * @param ifMissing what to do when the table does not exist
 * @param ifExists what to do when it does
 */
public record IngestRequest(Optional<String> branch, Optional<String> schema, String table, IfMissing ifMissing,
    IfExists ifExists) {

  public enum IfMissing { CREATE, FAIL }

  public enum IfExists { APPEND, REPLACE, FAIL }
}
