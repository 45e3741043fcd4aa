package dev.tarn.bench.roundtrip;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightEndpoint;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightServer;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.Result;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.flight.sql.NoOpFlightSqlProducer;
import org.apache.arrow.flight.sql.impl.FlightSql.ActionClosePreparedStatementRequest;
import org.apache.arrow.flight.sql.impl.FlightSql.ActionCreatePreparedStatementRequest;
import org.apache.arrow.flight.sql.impl.FlightSql.ActionCreatePreparedStatementResult;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandPreparedStatementQuery;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandStatementQuery;
import org.apache.arrow.flight.sql.impl.FlightSql.TicketStatementQuery;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The baseline of the fixed-cost benchmark: a Flight SQL server that does no work. Every statement
 * is answered with one INTEGER column holding 1, through the same calls Tarn answers (prepare,
 * GetFlightInfo, DoGet, close), so the stock JDBC driver makes the same round trips to it. What a
 * statement costs on top of this is Tarn's: session, parse, plan, catalog, engine.
 */
public final class BareFlightSqlServer implements AutoCloseable {
  static final Schema SCHEMA = new Schema(List.of(Field.nullable("1", new ArrowType.Int(32, true))));

  private final FlightServer server;
  private final AtomicLong statements = new AtomicLong();

  public BareFlightSqlServer(BufferAllocator allocator) throws java.io.IOException {
    this.server = FlightServer.builder(allocator, Location.forGrpcInsecure("127.0.0.1", 0), new Producer(allocator))
        .build().start();
  }

  public int port() {
    return server.getPort();
  }

  /** Statements answered so far: the baseline must have seen every one the client sent. */
  public long statements() {
    return statements.get();
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdown();
    server.awaitTermination();
  }

  private final class Producer extends NoOpFlightSqlProducer {
    private final BufferAllocator allocator;

    Producer(BufferAllocator allocator) {
      this.allocator = allocator;
    }

    @Override
    public void createPreparedStatement(ActionCreatePreparedStatementRequest request, CallContext context,
        StreamListener<Result> listener) {
      ActionCreatePreparedStatementResult result = ActionCreatePreparedStatementResult.newBuilder()
          .setPreparedStatementHandle(ByteString.copyFrom(request.getQuery(), StandardCharsets.UTF_8))
          .setDatasetSchema(ByteString.copyFrom(SCHEMA.serializeAsMessage()))
          .build();
      listener.onNext(new Result(Any.pack(result).toByteArray()));
      listener.onCompleted();
    }

    @Override
    public void closePreparedStatement(ActionClosePreparedStatementRequest request, CallContext context,
        StreamListener<Result> listener) {
      listener.onCompleted();
    }

    @Override
    public FlightInfo getFlightInfoPreparedStatement(CommandPreparedStatementQuery command, CallContext context,
        FlightDescriptor descriptor) {
      return info(descriptor, command.getPreparedStatementHandle());
    }

    @Override
    public FlightInfo getFlightInfoStatement(CommandStatementQuery command, CallContext context,
        FlightDescriptor descriptor) {
      return info(descriptor, ByteString.copyFromUtf8(command.getQuery()));
    }

    private FlightInfo info(FlightDescriptor descriptor, ByteString handle) {
      Ticket ticket = new Ticket(Any.pack(TicketStatementQuery.newBuilder().setStatementHandle(handle).build())
          .toByteArray());
      return new FlightInfo(SCHEMA, descriptor, List.of(new FlightEndpoint(ticket)), -1, -1);
    }

    @Override
    public void getStreamStatement(TicketStatementQuery ticket, CallContext context, ServerStreamListener listener) {
      statements.incrementAndGet();
      try (VectorSchemaRoot root = VectorSchemaRoot.create(SCHEMA, allocator)) {
        IntVector one = (IntVector) root.getVector(0);
        one.allocateNew(1);
        one.set(0, 1);
        root.setRowCount(1);
        listener.start(root);
        listener.putNext();
        listener.completed();
      } catch (RuntimeException e) {
        listener.error(CallStatus.INTERNAL.withDescription(e.getMessage()).toRuntimeException());
      }
    }
  }
}
