package dev.tarn.core.audit;

import static dev.tarn.core.arrow.Columns.bigint;
import static dev.tarn.core.arrow.Columns.bool;
import static dev.tarn.core.arrow.Columns.schema;
import static dev.tarn.core.arrow.Columns.text;
import static dev.tarn.core.arrow.Columns.timestamp;

import org.apache.arrow.vector.types.pojo.Schema;

/** The fixed result schemas of the administration statements. */
final class AdminSchemas {
  private AdminSchemas() {}

  static final Schema AUDIT = schema(
      timestamp("time"), text("query_id"), text("user"), text("session_id"), text("client_address"),
      text("reference"), text("commit_hash"), text("kind"), text("statement"), text("outcome"), text("error_class"),
      text("error"), bigint("rows"), bigint("bytes"), bigint("duration_ms"));

  static final Schema HISTORY = schema(
      timestamp("time"), text("query_id"), text("user"), text("statement"), text("reference"), text("kind"),
      text("outcome"), text("error"), bigint("rows"), bigint("bytes"), bigint("duration_ms"));

  static final Schema SESSIONS = schema(
      text("session_id"), text("user"), text("client_address"), timestamp("created_at"), timestamp("last_used_at"),
      text("reference"), bool("in_transaction"), bigint("running_statements"), bigint("sessions_of_user"),
      bigint("max_sessions_per_user"), bigint("max_sessions"));

  static final Schema QUERIES = schema(
      text("query_id"), text("session_id"), text("user"), text("client_address"), text("kind"),
      timestamp("started_at"), bigint("running_ms"), text("statement"));

  static final Schema KILLED_QUERY = schema(text("query_id"), text("session_id"), text("user"));

  static final Schema KILLED_SESSION = schema(
      text("session_id"), text("user"), bigint("statements_cancelled"), bool("transaction_rolled_back"));
}
