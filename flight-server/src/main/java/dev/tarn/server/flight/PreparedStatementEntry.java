package dev.tarn.server.flight;

import dev.tarn.core.statement.PreparedQuery;
import dev.tarn.core.session.Session;
import java.util.List;

/** A client's prepared statement: the checked query and the parameter rows bound to it last. */
final class PreparedStatementEntry {
  private final Session session;
  private final PreparedQuery query;
  private volatile List<List<Object>> parameterRows = List.of();

  PreparedStatementEntry(Session session, PreparedQuery query) {
    this.session = session;
    this.query = query;
  }

  Session session() {
    return session;
  }

  PreparedQuery query() {
    return query;
  }

  List<List<Object>> parameterRows() {
    return parameterRows;
  }

  /** Binds rows read by {@link ParameterReader#readAll}, which are unmodifiable. */
  void bind(List<List<Object>> rows) {
    // the reader hands over unmodifiable rows; copying them would double what the upload holds
    this.parameterRows = rows;
  }
}
