package dev.tarn.server.flight;

import dev.tarn.core.TarnException;
import dev.tarn.core.statement.PreparedQuery;
import dev.tarn.core.statement.StatementService;
import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.tarn.executor.ExecutionResult;
import dev.tarn.executor.RowStream;
import dev.tarn.executor.UpdateCount;
import dev.tarn.server.arrow.FlightStreamReader;
import dev.tarn.core.session.CurrentReference;
import dev.tarn.core.lakehouse.IngestRequest;
import dev.tarn.core.lakehouse.Lakehouse;
import dev.tarn.core.lakehouse.Transactions;
import dev.tarn.core.pipeline.Pipelines;
import dev.tarn.core.metrics.TarnMetrics;
import dev.tarn.core.session.Session;
import dev.tarn.server.session.SessionMiddleware;
import dev.tarn.core.session.StatefulStatements;
import dev.tarn.sql.StatementKind;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.CancelFlightInfoRequest;
import org.apache.arrow.flight.CancelStatus;
import org.apache.arrow.flight.CloseSessionRequest;
import org.apache.arrow.flight.CloseSessionResult;
import org.apache.arrow.flight.Criteria;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightEndpoint;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.GetSessionOptionsRequest;
import org.apache.arrow.flight.GetSessionOptionsResult;
import org.apache.arrow.flight.PutResult;
import org.apache.arrow.flight.Result;
import org.apache.arrow.flight.SchemaResult;
import org.apache.arrow.flight.SessionOptionValue;
import org.apache.arrow.flight.SessionOptionValueFactory;
import org.apache.arrow.flight.SetSessionOptionsRequest;
import org.apache.arrow.flight.SetSessionOptionsResult;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.flight.sql.CancelResult;
import org.apache.arrow.flight.sql.FlightSqlProducer;
import org.apache.arrow.flight.sql.SqlInfoBuilder;
import org.apache.arrow.flight.sql.impl.FlightSql.ActionBeginTransactionRequest;
import org.apache.arrow.flight.sql.impl.FlightSql.ActionBeginTransactionResult;
import org.apache.arrow.flight.sql.impl.FlightSql.ActionClosePreparedStatementRequest;
import org.apache.arrow.flight.sql.impl.FlightSql.ActionCreatePreparedStatementRequest;
import org.apache.arrow.flight.sql.impl.FlightSql.ActionCreatePreparedStatementResult;
import org.apache.arrow.flight.sql.impl.FlightSql.ActionEndTransactionRequest;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandGetCatalogs;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandGetCrossReference;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandGetDbSchemas;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandGetExportedKeys;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandGetImportedKeys;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandGetPrimaryKeys;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandGetSqlInfo;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandGetTableTypes;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandGetTables;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandGetXdbcTypeInfo;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandPreparedStatementQuery;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandPreparedStatementUpdate;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandStatementIngest;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandStatementIngest.TableDefinitionOptions.TableNotExistOption;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandStatementQuery;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandStatementUpdate;
import org.apache.arrow.flight.sql.impl.FlightSql.DoPutPreparedStatementResult;
import org.apache.arrow.flight.sql.impl.FlightSql.DoPutUpdateResult;
import org.apache.arrow.flight.sql.impl.FlightSql.TicketStatementQuery;
import dev.tarn.mcp.McpOverFlight;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Tarn's Flight SQL endpoint. A thin router: statements go through {@link StatementService},
 * catalog browsing through {@link MetadataHandler}, results out through {@link ResultStreamer};
 * every failure leaves through {@link ErrorMapper}.
 */
public final class TarnFlightSqlProducer implements FlightSqlProducer {
  private static final Schema EMPTY = new Schema(List.of());
  private static final org.apache.arrow.flight.ActionType MCP_ACTION_TYPE = new org.apache.arrow.flight.ActionType(
      McpOverFlight.ACTION, "One MCP JSON-RPC message (what tarn mcp forwards); answers with its response");
  /** Session options that change what later statements read. */
  private static final java.util.Set<String> SESSION_STATE_OPTIONS = java.util.Set.of("catalog", "branch", "schema");

  private final BufferAllocator allocator;
  private final Lakehouse lakehouse;
  private final StatementService statements;
  private final PipelineAction pipelineAction;
  private final McpOverFlight mcp;
  private final MetadataHandler metadata;
  private final ResultStreamer streamer;
  private final SqlInfoBuilder sqlInfo;
  private final HandleStore<PreparedStatementEntry> prepared;
  private final HandleStore<PendingResult> pending;
  private final ParameterLimits parameterLimits;

  /** @param statements the statement path for a front door whose calls cancel through the given scope */
  public TarnFlightSqlProducer(BufferAllocator allocator,
      java.util.function.Function<dev.tarn.core.statement.CancellationScope, StatementService> statements,
      Lakehouse lakehouse,
      Pipelines pipelines, TarnMetrics metrics, ExecutorService streamPool, long maxResultMessageBytes,
      ParameterLimits parameterLimits, String version, McpOverFlight mcp) {
    this.mcp = mcp;
    this.parameterLimits = parameterLimits;
    this.allocator = allocator;
    this.lakehouse = lakehouse;
    this.statements = statements.apply(CallCancellation.INSTANCE);
    this.pipelineAction = new PipelineAction(pipelines);
    this.metadata = new MetadataHandler(allocator, lakehouse.catalog(), lakehouse.views(), lakehouse.access(),
        lakehouse.hiddenBranches(),
        (session, sql) -> this.statements.prepare(session, sql).description().resultSchema());
    this.streamer = new ResultStreamer(streamPool, metrics, maxResultMessageBytes);
    this.sqlInfo = ServerInfo.build(version);
    this.prepared = new HandleStore<>("prepared statement", 100_000, Duration.ofHours(1), e -> {},
        PreparedStatementEntry::session);
    this.pending = new HandleStore<>("result", 100_000, Duration.ofMinutes(15), PendingResult::expire,
        PendingResult::session);
  }

  /** Flight SQL's actions, and Tarn's own ({@link PipelineAction}, {@link McpOverFlight}). */
  @Override
  public void doAction(CallContext context, org.apache.arrow.flight.Action action,
      StreamListener<org.apache.arrow.flight.Result> listener) {
    if (action.getType().equals(McpOverFlight.ACTION)) {
      answerMcp(context, action.getBody(), listener);
      return;
    }
    if (!action.getType().equals(PipelineAction.TYPE)) {
      FlightSqlProducer.super.doAction(context, action, listener);
      return;
    }
    try {
      Session session = session(context);
      statements.auditor().runInterruptible(session, "pipeline", "Flight action " + PipelineAction.TYPE, () -> {
        pipelineAction.run(action.getBody(), session, listener);
        return 0L;
      }, rows -> rows);
      listener.onCompleted();
    } catch (Exception e) {
      listener.onError(ErrorMapper.toFlight(e));
    }
  }

  /**
   * One MCP message for {@code tarn mcp}, as the user this call proved; the tools audit their calls
   * themselves, as they do over HTTP. A notification is answered with no result.
   */
  private void answerMcp(CallContext context, byte[] body, StreamListener<org.apache.arrow.flight.Result> listener) {
    try {
      Session session = session(context);
      mcp.answer(body, session.user(), session.clientAddress().orElse(null), sessions(context).bearer())
          .ifPresent(response -> listener.onNext(new org.apache.arrow.flight.Result(response)));
      listener.onCompleted();
    } catch (Exception e) {
      listener.onError(ErrorMapper.toFlight(e));
    }
  }

  @Override
  public void listActions(CallContext context, StreamListener<org.apache.arrow.flight.ActionType> listener) {
    org.apache.arrow.flight.sql.FlightSqlUtils.FLIGHT_SQL_ACTIONS.forEach(listener::onNext);
    listener.onNext(PipelineAction.ACTION_TYPE);
    listener.onNext(MCP_ACTION_TYPE);
    listener.onCompleted();
  }

  private static Session session(CallContext context) {
    return sessions(context).session(user(context));
  }

  private static SessionMiddleware sessions(CallContext context) {
    return context.getMiddleware(SessionMiddleware.KEY);
  }

  private static String user(CallContext context) {
    String user = context.peerIdentity();
    return user == null || user.isEmpty() ? "anonymous" : user;
  }

  /**
   * The session a statement runs in: the one holding its transaction when it carries a Flight SQL
   * transaction id (whatever the call's cookie), else the call's own.
   */
  private static Session session(CallContext context, boolean hasTransactionId, ByteString transactionId) {
    if (!hasTransactionId || transactionId.isEmpty()) {
      return session(context);
    }
    return sessions(context).store().forTransaction(transactionId.toStringUtf8(), user(context));
  }

  /** Parses, checks and describes a statement; one that changes the session needs a client that keeps it. */
  private PreparedQuery prepare(CallContext context, Session session, String sql) {
    return statements.prepare(session, sql, query -> frontDoorChecks(context, session, query));
  }

  /**
   * Like {@link #prepare}, for a statement sent to run at once (not prepared): a query's rows are
   * not described ahead, their stream's first message carries their schema.
   */
  private PreparedQuery prepareToRun(CallContext context, Session session, String sql) {
    return statements.prepareToRun(session, sql, query -> frontDoorChecks(context, session, query));
  }

  private void frontDoorChecks(CallContext context, Session session, PreparedQuery query) {
    StatefulStatements.sessionChange(query.parsed())
        .ifPresent(change -> sessions(context).requireKeptState(session, change));
    StatementKind kind = query.parsed().kind();
    if (kind == StatementKind.DML || kind == StatementKind.DDL) {
      sessions(context).refuseWriteBesideOpenTransaction(session, query.parsed().leadingKeyword() + " statement");
    }
  }

  /** Runs a call and maps any failure to a Flight status with a user-facing message. */
  private static <T> T guarded(Callable<T> call) {
    try {
      return call.call();
    } catch (Exception e) {
      throw ErrorMapper.toFlight(e);
    }
  }

  private static <T extends Message> T unpack(ByteString bytes, Class<T> type) {
    try {
      return Any.parseFrom(bytes).unpack(type);
    } catch (InvalidProtocolBufferException e) {
      throw CallStatus.INVALID_ARGUMENT.withDescription("malformed ticket: " + e.getMessage()).toRuntimeException();
    }
  }

  private static FlightInfo info(Schema schema, FlightDescriptor descriptor, Message ticket) {
    // No location: the client fetches over the connection it already has (and keeps its TLS).
    FlightEndpoint endpoint = new FlightEndpoint(new Ticket(Any.pack(ticket).toByteArray()));
    return new FlightInfo(schema, descriptor, List.of(endpoint), -1, -1);
  }

  // ---- statements -------------------------------------------------------------------------

  @Override
  public FlightInfo getFlightInfoStatement(CommandStatementQuery command, CallContext context,
      FlightDescriptor descriptor) {
    return guarded(() -> {
      Session session = session(context, command.hasTransactionId(), command.getTransactionId());
      PreparedQuery query = prepareToRun(context, session, command.getQuery());
      return resultInfo(session, query, List.of(), descriptor);
    });
  }

  /**
   * A query's FlightInfo carries a ticket to a pending result that DoGet runs. A statement that
   * returns no rows (DDL sent as a query, as ADBC's execute does) runs right here, and its
   * ticket yields an empty result. A query sent to run at once gets a FlightInfo without a schema:
   * its stream's first message carries it, as Flight allows (clients read it there).
   */
  private FlightInfo resultInfo(Session session, PreparedQuery query, List<Object> parameters,
      FlightDescriptor descriptor) {
    if (!query.returnsRows()) {
      runUpdate(session, query, parameters);
    }
    PendingResult result = new PendingResult(session, query, parameters);
    Schema schema = query.returnsRows() ? query.description().resultSchema() : EMPTY;
    // Branch commands act when executed, not when their rows are fetched (ADBC may never fetch).
    // A query with bound values runs here too: its result types follow the values' types
    // (SELECT ? + 1 is BIGINT for an int64), so the FlightInfo must carry the schema it really streams.
    boolean runNow = query.parsed().kind() == StatementKind.TARN_COMMAND || !parameters.isEmpty();
    if (query.returnsRows() && runNow) {
      BufferAllocator earlyAllocator = childAllocator();
      try {
        ExecutionResult early = statements.run(session, query, parameters, earlyAllocator, e -> {});
        result.ranEarly(early, earlyAllocator);
        if (early instanceof RowStream rows) {
          schema = rows.schema();
        }
      } catch (RuntimeException e) {
        earlyAllocator.close();
        throw e;
      }
    }
    ByteString handle = pending.put(result);
    return info(schema, descriptor, TicketStatementQuery.newBuilder().setStatementHandle(handle).build());
  }

  @Override
  public SchemaResult getSchemaStatement(CommandStatementQuery command, CallContext context,
      FlightDescriptor descriptor) {
    return guarded(() -> new SchemaResult(statements.prepare(
        session(context, command.hasTransactionId(), command.getTransactionId()), command.getQuery())
        .description().resultSchema()));
  }

  @Override
  public void getStreamStatement(TicketStatementQuery ticket, CallContext context, ServerStreamListener listener) {
    PendingResult result;
    try {
      result = pending.get(ticket.getStatementHandle());
      // the rows stream after the handle is gone: the session must stay until the call ends
      sessions(context).useDuringCall(result.session());
    } catch (RuntimeException e) {
      listener.error(ErrorMapper.toFlight(e));
      return;
    }
    if (!result.query().returnsRows()) {
      // Already ran at GetFlightInfo; the stream is empty.
      pending.remove(ticket.getStatementHandle());
      streamer.stream(StatementService.kindTag(result.query().parsed()), listener, childAllocator(),
          () -> new UpdateCount(0), () -> {});
      return;
    }
    Optional<PendingResult.Early> early = result.takeEarlyResult();
    if (early.isPresent()) {
      pending.remove(ticket.getStatementHandle());
      // a result still being produced (RUN PIPELINE's run) stops when its client goes away
      ExecutionResult produced = early.get().result();
      streamer.stream(StatementService.kindTag(result.query().parsed()), listener, early.get().allocator(),
          early.get()::result, () -> {
            if (produced instanceof RowStream rows) {
              rows.cancel();
            }
          });
      return;
    }
    BufferAllocator streamAllocator = childAllocator();
    streamer.stream(StatementService.kindTag(result.query().parsed()), listener, streamAllocator, () -> {
      try {
        return statements.run(result.session(), result.query(), result.parameters(), streamAllocator,
            result::started);
      } finally {
        pending.remove(ticket.getStatementHandle());
      }
    }, result::cancel);
  }

  private BufferAllocator childAllocator() {
    return allocator.newChildAllocator("result", 0, Long.MAX_VALUE);
  }

  @Override
  public Runnable acceptPutStatement(CommandStatementUpdate command, CallContext context, FlightStream flightStream,
      StreamListener<PutResult> ackStream) {
    return () -> {
      try {
        Session session = session(context, command.hasTransactionId(), command.getTransactionId());
        PreparedQuery query = prepareToRun(context, session, command.getQuery());
        long count = runUpdate(session, query, List.of());
        sendUpdateCount(ackStream, count);
      } catch (RuntimeException e) {
        ackStream.onError(ErrorMapper.toFlight(e));
      }
    };
  }

  /** Runs a statement for its update count; a query sent as an update is run and its rows counted. */
  private long runUpdate(Session session, PreparedQuery query, List<Object> parameters) {
    try (BufferAllocator child = childAllocator()) {
      ExecutionResult result = statements.run(session, query, parameters, child, execution -> {});
      if (result instanceof RowStream rows) {
        try (rows) {
          while (rows.next()) {
            // drained: the client asked for a count only
          }
          return rows.rowsProduced();
        }
      }
      return ((UpdateCount) result).rows();
    }
  }

  private void sendUpdateCount(StreamListener<PutResult> ackStream, long count) {
    sendMetadata(ackStream, DoPutUpdateResult.newBuilder().setRecordCount(count).build());
    ackStream.onCompleted();
  }

  private void sendMetadata(StreamListener<PutResult> ackStream, Message message) {
    byte[] bytes = message.toByteArray();
    try (ArrowBuf buffer = allocator.buffer(bytes.length)) {
      buffer.writeBytes(bytes);
      ackStream.onNext(PutResult.metadata(buffer));
    }
  }

  @Override
  public Runnable acceptPutStatementBulkIngest(CommandStatementIngest command, CallContext context,
      FlightStream flightStream, StreamListener<PutResult> ackStream) {
    return () -> {
      FlightStreamReader reader = null;
      try (BufferAllocator child = childAllocator();
          FlightStreamReader data = FlightStreamReader.open(flightStream, child)) {
        reader = data;
        if (command.getTemporary()) {
          throw new TarnException(TarnException.Kind.INVALID_ARGUMENT,
              "temporary tables cannot be ingested into; ingest into a lakehouse table");
        }
        Session session = session(context, command.hasTransactionId(), command.getTransactionId());
        IngestRequest request = new IngestRequest(
            command.hasCatalog() ? Optional.of(command.getCatalog()) : Optional.empty(),
            command.hasSchema() ? Optional.of(command.getSchema()) : Optional.empty(),
            command.getTable(),
            command.getTableDefinitionOptions().getIfNotExist() == TableNotExistOption.TABLE_NOT_EXIST_OPTION_CREATE
                ? IngestRequest.IfMissing.CREATE : IngestRequest.IfMissing.FAIL,
            switch (command.getTableDefinitionOptions().getIfExists()) {
              case TABLE_EXISTS_OPTION_APPEND -> IngestRequest.IfExists.APPEND;
              case TABLE_EXISTS_OPTION_REPLACE -> IngestRequest.IfExists.REPLACE;
              default -> IngestRequest.IfExists.FAIL;
            });
        long rows = statements.auditor().run(session, "ingest", "bulk ingest into " + command.getTable(), () -> {
          sessions(context).refuseWriteBesideOpenTransaction(session, "ingest");
          return lakehouse.ingest(session, request, data, child);
        }, count -> count);
        session.recordInTransaction("ingest into " + command.getTable());
        sendUpdateCount(ackStream, rows);
      } catch (RuntimeException e) {
        // a value refused mid-stream reaches here wrapped in DuckDB's scan error; report the refusal itself
        Throwable cause = reader == null ? e : reader.refusal().<Throwable>map(r -> r).orElse(e);
        ackStream.onError(ErrorMapper.toFlight(cause));
      } catch (java.io.IOException e) {
        ackStream.onError(CallStatus.INTERNAL.withDescription("reading the uploaded stream failed: "
            + e.getMessage()).toRuntimeException());
      }
    };
  }

  // ---- prepared statements ----------------------------------------------------------------

  @Override
  public void createPreparedStatement(ActionCreatePreparedStatementRequest request, CallContext context,
      StreamListener<Result> listener) {
    try {
      Session session = session(context, request.hasTransactionId(), request.getTransactionId());
      PreparedQuery query = prepare(context, session, request.getQuery());
      ByteString handle = prepared.put(new PreparedStatementEntry(session, query));
      ActionCreatePreparedStatementResult.Builder result = ActionCreatePreparedStatementResult.newBuilder()
          .setPreparedStatementHandle(handle);
      if (query.returnsRows()) {
        result.setDatasetSchema(ByteString.copyFrom(query.description().resultSchema().serializeAsMessage()));
      }
      if (query.description().parameterCount() > 0) {
        result.setParameterSchema(ByteString.copyFrom(query.description().parameterSchema().serializeAsMessage()));
      }
      listener.onNext(new Result(Any.pack(result.build()).toByteArray()));
      listener.onCompleted();
    } catch (RuntimeException e) {
      listener.onError(ErrorMapper.toFlight(e));
    }
  }

  @Override
  public void closePreparedStatement(ActionClosePreparedStatementRequest request, CallContext context,
      StreamListener<Result> listener) {
    prepared.remove(request.getPreparedStatementHandle());
    listener.onCompleted();
  }

  @Override
  public FlightInfo getFlightInfoPreparedStatement(CommandPreparedStatementQuery command, CallContext context,
      FlightDescriptor descriptor) {
    return guarded(() -> {
      PreparedStatementEntry entry = prepared.get(command.getPreparedStatementHandle());
      return resultInfo(entry.session(), entry.query(), firstRow(entry), descriptor);
    });
  }

  private static List<Object> firstRow(PreparedStatementEntry entry) {
    List<List<Object>> rows = entry.parameterRows();
    return rows.isEmpty() ? List.of() : rows.get(0);
  }

  @Override
  public SchemaResult getSchemaPreparedStatement(CommandPreparedStatementQuery command, CallContext context,
      FlightDescriptor descriptor) {
    return guarded(() -> new SchemaResult(
        prepared.get(command.getPreparedStatementHandle()).query().description().resultSchema()));
  }

  @Override
  public void getStreamPreparedStatement(CommandPreparedStatementQuery command, CallContext context,
      ServerStreamListener listener) {
    // Tarn hands out TicketStatementQuery tickets; a client replaying the command as a ticket still works.
    try {
      PreparedStatementEntry entry = prepared.get(command.getPreparedStatementHandle());
      ByteString handle = pending.put(new PendingResult(entry.session(), entry.query(), firstRow(entry)));
      getStreamStatement(TicketStatementQuery.newBuilder().setStatementHandle(handle).build(), context, listener);
    } catch (RuntimeException e) {
      listener.error(ErrorMapper.toFlight(e));
    }
  }

  @Override
  public Runnable acceptPutPreparedStatementQuery(CommandPreparedStatementQuery command, CallContext context,
      FlightStream flightStream, StreamListener<PutResult> ackStream) {
    return () -> {
      try {
        PreparedStatementEntry entry = prepared.get(command.getPreparedStatementHandle());
        entry.bind(ParameterReader.readAll(flightStream, parameterLimits));
        sendMetadata(ackStream, DoPutPreparedStatementResult.newBuilder()
            .setPreparedStatementHandle(command.getPreparedStatementHandle()).build());
        ackStream.onCompleted();
      } catch (RuntimeException e) {
        ackStream.onError(ErrorMapper.toFlight(e));
      }
    };
  }

  @Override
  public Runnable acceptPutPreparedStatementUpdate(CommandPreparedStatementUpdate command, CallContext context,
      FlightStream flightStream, StreamListener<PutResult> ackStream) {
    return () -> {
      try {
        PreparedStatementEntry entry = prepared.get(command.getPreparedStatementHandle());
        List<List<Object>> rows = ParameterReader.readAll(flightStream, parameterLimits);
        long total = 0;
        if (rows.isEmpty()) {
          total = runUpdate(entry.session(), entry.query(), List.of());
        } else {
          for (List<Object> row : rows) {
            total += runUpdate(entry.session(), entry.query(), row);
          }
        }
        sendUpdateCount(ackStream, total);
      } catch (RuntimeException e) {
        ackStream.onError(ErrorMapper.toFlight(e));
      }
    };
  }

  // ---- cancel -----------------------------------------------------------------------------

  @Override
  public void cancelFlightInfo(CancelFlightInfoRequest request, CallContext context,
      StreamListener<CancelStatus> listener) {
    listener.onNext(cancel(request.getInfo()) ? CancelStatus.CANCELLED : CancelStatus.NOT_CANCELLABLE);
    listener.onCompleted();
  }

  @Override
  @SuppressWarnings("deprecation")
  public void cancelQuery(FlightInfo info, CallContext context, StreamListener<CancelResult> listener) {
    listener.onNext(cancel(info) ? CancelResult.CANCELLED : CancelResult.NOT_CANCELLABLE);
    listener.onCompleted();
  }

  private boolean cancel(FlightInfo info) {
    boolean any = false;
    for (FlightEndpoint endpoint : info.getEndpoints()) {
      try {
        Any any1 = Any.parseFrom(endpoint.getTicket().getBytes());
        if (any1.is(TicketStatementQuery.class)) {
          ByteString handle = any1.unpack(TicketStatementQuery.class).getStatementHandle();
          PendingResult result = pending.find(handle).orElse(null);
          if (result != null) {
            result.cancel();
            any = true;
          }
        }
      } catch (InvalidProtocolBufferException ignored) {
        // not one of Tarn's tickets: nothing of ours to cancel
      }
    }
    return any;
  }

  // ---- transactions -----------------------------------------------------------------------

  /**
   * Begins a transaction whose id any later call can carry: ADBC sends it with its statements and
   * prepared statements (not with bulk ingest), so transactions work for clients that keep no
   * session cookie.
   */
  @Override
  public void beginTransaction(ActionBeginTransactionRequest request, CallContext context,
      StreamListener<ActionBeginTransactionResult> listener) {
    try {
      SessionMiddleware sessions = sessions(context);
      Session caller = session(context);
      String id = statements.auditor().run(caller, "transaction", "BEGIN (Flight SQL BeginTransaction)", () -> {
        Session session = sessions.keep(caller);
        try {
          lakehouse.transactions().begin(session);
          String bound = sessions.store().bindTransaction(session);
          sessions.transactionBegan(session);
          return bound;
        } catch (RuntimeException e) {
          sessions.store().transactionEnded(session);
          throw e;
        }
      }, bound -> 0);
      listener.onNext(ActionBeginTransactionResult.newBuilder().setTransactionId(ByteString.copyFromUtf8(id)).build());
      listener.onCompleted();
    } catch (RuntimeException e) {
      listener.onError(ErrorMapper.toFlight(e));
    }
  }

  @Override
  public void endTransaction(ActionEndTransactionRequest request, CallContext context,
      StreamListener<Result> listener) {
    try {
      if (request.getTransactionId().isEmpty()) {
        throw new TarnException(TarnException.Kind.INVALID_ARGUMENT,
            "EndTransaction needs the transaction id BeginTransaction returned");
      }
      Session session = session(context, true, request.getTransactionId());
      boolean commit = request.getAction() == ActionEndTransactionRequest.EndTransaction.END_TRANSACTION_COMMIT;
      try {
        statements.auditor().run(session, "transaction", (commit ? "COMMIT" : "ROLLBACK")
            + " (Flight SQL EndTransaction)", () -> {
              if (commit) {
                lakehouse.transactions().commit(session);
              } else {
                lakehouse.transactions().rollback(session);
              }
              return 0L;
            }, rows -> rows);
      } finally {
        sessions(context).store().transactionEnded(session);
      }
      listener.onCompleted();
    } catch (RuntimeException e) {
      listener.onError(ErrorMapper.toFlight(e));
    }
  }

  // ---- session options --------------------------------------------------------------------

  @Override
  public void setSessionOptions(SetSessionOptionsRequest request, CallContext context,
      StreamListener<SetSessionOptionsResult> listener) {
    try {
      Session session = session(context);
      Map<String, SetSessionOptionsResult.Error> errors = new HashMap<>();
      request.getSessionOptions().keySet().stream().filter(SESSION_STATE_OPTIONS::contains).findFirst()
          .ifPresent(name -> sessions(context).requireKeptState(session, "setting the session option " + name));
      request.getSessionOptions().forEach((name, value) -> {
        String text = stringValue(value);
        switch (name) {
          case "catalog", "branch" -> {
            // Branches and tags are Flight SQL catalogs: the stock JDBC driver's ?catalog=dev lands here.
            // another session's transaction branch exists for nobody else (ReferenceCommands.visible)
            // an open transaction is never left this way: only the branch it commits into is accepted
            if (text != null && !Transactions.isTransactionBranch(text)
                && lakehouse.catalog().findReference(text).isPresent()
                && session.useOutsideTransaction(CurrentReference.named(text))) {
              // moved, or already in a transaction into that branch
            } else {
              errors.put(name, new SetSessionOptionsResult.Error(SetSessionOptionsResult.ErrorValue.INVALID_VALUE));
            }
          }
          case "schema" -> {
            try {
              lakehouse.useSchema(session, text);
            } catch (RuntimeException e) {
              errors.put(name, new SetSessionOptionsResult.Error(SetSessionOptionsResult.ErrorValue.INVALID_VALUE));
            }
          }
          default -> errors.put(name, new SetSessionOptionsResult.Error(SetSessionOptionsResult.ErrorValue.INVALID_NAME));
        }
      });
      listener.onNext(new SetSessionOptionsResult(errors));
      listener.onCompleted();
    } catch (RuntimeException e) {
      listener.onError(ErrorMapper.toFlight(e));
    }
  }

  private static String stringValue(SessionOptionValue value) {
    Object[] holder = new Object[1];
    value.acceptVisitor(new org.apache.arrow.flight.NoOpSessionOptionValueVisitor<Void>() {
      @Override
      public Void visit(String s) {
        holder[0] = s;
        return null;
      }
    });
    return (String) holder[0];
  }

  @Override
  public void getSessionOptions(GetSessionOptionsRequest request, CallContext context,
      StreamListener<GetSessionOptionsResult> listener) {
    try {
      Session session = session(context);
      Map<String, SessionOptionValue> options = new HashMap<>();
      // inside a transaction the session reads its private branch; the catalog is the branch it commits into
      String catalog = session.transaction().map(dev.tarn.core.session.OpenTransaction::target)
          .orElse(session.reference().name());
      options.put("catalog", SessionOptionValueFactory.makeSessionOptionValue(catalog));
      options.put("schema", SessionOptionValueFactory.makeSessionOptionValue(session.engine().currentSchema()));
      listener.onNext(new GetSessionOptionsResult(options));
      listener.onCompleted();
    } catch (RuntimeException e) {
      listener.onError(ErrorMapper.toFlight(e));
    }
  }

  @Override
  public void closeSession(CloseSessionRequest request, CallContext context,
      StreamListener<CloseSessionResult> listener) {
    try {
      listener.onNext(new CloseSessionResult(sessions(context).closeSession(user(context), closed -> {
        pending.releaseOwnedBy(closed);
        prepared.releaseOwnedBy(closed);
      })));
      listener.onCompleted();
    } catch (RuntimeException e) {
      listener.onError(ErrorMapper.toFlight(e));
    }
  }

  // ---- metadata ---------------------------------------------------------------------------

  @Override
  public FlightInfo getFlightInfoSqlInfo(CommandGetSqlInfo request, CallContext context, FlightDescriptor descriptor) {
    return info(Schemas.GET_SQL_INFO_SCHEMA, descriptor, request);
  }

  @Override
  public void getStreamSqlInfo(CommandGetSqlInfo command, CallContext context, ServerStreamListener listener) {
    sqlInfo.send(command.getInfoList(), listener);
  }

  @Override
  public FlightInfo getFlightInfoTypeInfo(CommandGetXdbcTypeInfo request, CallContext context,
      FlightDescriptor descriptor) {
    return info(Schemas.GET_TYPE_INFO_SCHEMA, descriptor, request);
  }

  @Override
  public void getStreamTypeInfo(CommandGetXdbcTypeInfo request, CallContext context, ServerStreamListener listener) {
    metadataCall(listener, () -> metadata.typeInfo(request, listener));
  }

  @Override
  public FlightInfo getFlightInfoCatalogs(CommandGetCatalogs request, CallContext context,
      FlightDescriptor descriptor) {
    return info(Schemas.GET_CATALOGS_SCHEMA, descriptor, request);
  }

  @Override
  public void getStreamCatalogs(CallContext context, ServerStreamListener listener) {
    metadataCall(listener, () -> metadata.catalogs(user(context), listener));
  }

  @Override
  public FlightInfo getFlightInfoSchemas(CommandGetDbSchemas request, CallContext context,
      FlightDescriptor descriptor) {
    return info(Schemas.GET_SCHEMAS_SCHEMA, descriptor, request);
  }

  @Override
  public void getStreamSchemas(CommandGetDbSchemas command, CallContext context, ServerStreamListener listener) {
    metadataCall(listener, () -> metadata.schemas(user(context), command, listener));
  }

  @Override
  public FlightInfo getFlightInfoTables(CommandGetTables request, CallContext context, FlightDescriptor descriptor) {
    Schema schema = request.getIncludeSchema() ? Schemas.GET_TABLES_SCHEMA : Schemas.GET_TABLES_SCHEMA_NO_SCHEMA;
    return info(schema, descriptor, request);
  }

  @Override
  public void getStreamTables(CommandGetTables command, CallContext context, ServerStreamListener listener) {
    metadataCall(listener, () -> metadata.tables(session(context), command, listener));
  }

  @Override
  public FlightInfo getFlightInfoTableTypes(CommandGetTableTypes request, CallContext context,
      FlightDescriptor descriptor) {
    return info(Schemas.GET_TABLE_TYPES_SCHEMA, descriptor, request);
  }

  @Override
  public void getStreamTableTypes(CallContext context, ServerStreamListener listener) {
    metadataCall(listener, () -> metadata.tableTypes(listener));
  }

  @Override
  public FlightInfo getFlightInfoPrimaryKeys(CommandGetPrimaryKeys request, CallContext context,
      FlightDescriptor descriptor) {
    return info(Schemas.GET_PRIMARY_KEYS_SCHEMA, descriptor, request);
  }

  @Override
  public void getStreamPrimaryKeys(CommandGetPrimaryKeys command, CallContext context, ServerStreamListener listener) {
    metadataCall(listener, () -> metadata.primaryKeys(listener));
  }

  @Override
  public FlightInfo getFlightInfoExportedKeys(CommandGetExportedKeys request, CallContext context,
      FlightDescriptor descriptor) {
    return info(Schemas.GET_EXPORTED_KEYS_SCHEMA, descriptor, request);
  }

  @Override
  public FlightInfo getFlightInfoImportedKeys(CommandGetImportedKeys request, CallContext context,
      FlightDescriptor descriptor) {
    return info(Schemas.GET_IMPORTED_KEYS_SCHEMA, descriptor, request);
  }

  @Override
  public FlightInfo getFlightInfoCrossReference(CommandGetCrossReference request, CallContext context,
      FlightDescriptor descriptor) {
    return info(Schemas.GET_CROSS_REFERENCE_SCHEMA, descriptor, request);
  }

  @Override
  public void getStreamExportedKeys(CommandGetExportedKeys command, CallContext context,
      ServerStreamListener listener) {
    metadataCall(listener, () -> metadata.noForeignKeys(Schemas.GET_EXPORTED_KEYS_SCHEMA, listener));
  }

  @Override
  public void getStreamImportedKeys(CommandGetImportedKeys command, CallContext context,
      ServerStreamListener listener) {
    metadataCall(listener, () -> metadata.noForeignKeys(Schemas.GET_IMPORTED_KEYS_SCHEMA, listener));
  }

  @Override
  public void getStreamCrossReference(CommandGetCrossReference command, CallContext context,
      ServerStreamListener listener) {
    metadataCall(listener, () -> metadata.noForeignKeys(Schemas.GET_CROSS_REFERENCE_SCHEMA, listener));
  }

  private static void metadataCall(ServerStreamListener listener, Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      listener.error(ErrorMapper.toFlight(e));
    }
  }

  @Override
  public void listFlights(CallContext context, Criteria criteria, StreamListener<FlightInfo> listener) {
    listener.onError(CallStatus.UNIMPLEMENTED.withDescription("Tarn does not list flights; send SQL")
        .toRuntimeException());
  }

  @Override
  public void close() {
    prepared.clear();
    pending.clear();
    streamer.close();
    mcp.close();
  }
}
