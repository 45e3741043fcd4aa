package dev.tarn.server;

import static dev.tarn.server.Sql.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.client.ClientCookieMiddleware;
import org.apache.arrow.flight.sql.FlightSqlClient;
import org.apache.arrow.flight.sql.FlightSqlClient.ExecuteIngestOptions;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandStatementIngest.TableDefinitionOptions;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandStatementIngest.TableDefinitionOptions.TableExistsOption;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandStatementIngest.TableDefinitionOptions.TableNotExistOption;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Uploads and parameters whose string offsets point outside their buffers, sent through Arrow's own
 * Flight SQL client, which sends a batch's offsets and buffers as they are. DuckDB reads an upload without
 * bounds checks: unchecked, these would read the server's memory or end its process.
 */
class MalformedUploadTest {
  private static RunningServer server;
  private static BufferAllocator allocator;
  private static FlightSqlClient client;
  private static final ExecuteIngestOptions CREATE_OR_APPEND = new ExecuteIngestOptions("uploads",
      TableDefinitionOptions.newBuilder().setIfNotExist(TableNotExistOption.TABLE_NOT_EXIST_OPTION_CREATE)
          .setIfExists(TableExistsOption.TABLE_EXISTS_OPTION_APPEND).build(), null, null, Map.of());

  @BeforeAll
  static void start() {
    server = RunningServer.start();
    allocator = new RootAllocator();
    client = new FlightSqlClient(FlightClient.builder(allocator, Location.forGrpcInsecure("127.0.0.1", server.port()))
        .intercept(new ClientCookieMiddleware.Factory()).build());
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    allocator.close();
    server.close();
  }

  /** Three rows, ids 1 to 3 and names "a", "aa", "aaa", changed by {@code spoil} before they are sent. */
  private static long upload(Consumer<VectorSchemaRoot> spoil) {
    BigIntVector id = new BigIntVector("id", allocator);
    VarCharVector name = new VarCharVector("name", allocator);
    id.allocateNew(3);
    name.allocateNew();
    for (int i = 0; i < 3; i++) {
      id.set(i, i + 1);
      name.setSafe(i, "abc".substring(0, 1).repeat(i + 1).getBytes(StandardCharsets.UTF_8));
    }
    try (VectorSchemaRoot rows = VectorSchemaRoot.of(id, name)) {
      rows.setRowCount(3);
      spoil.accept(rows);
      return client.executeIngest(rows, CREATE_OR_APPEND);
    }
  }

  private static void assertRefused(Consumer<VectorSchemaRoot> spoil) throws Exception {
    FlightRuntimeException e = assertThrows(FlightRuntimeException.class, () -> upload(spoil));
    assertTrue(e.getMessage().contains("not valid Arrow"), e.getMessage());
    assertEquals(3L, upload(rows -> { }), "the server keeps serving uploads");
    try (Connection c = server.connect()) {
      assertEquals(List.of("1"), values(c, "SELECT 1"), "and queries");
    }
  }

  @Test
  void aStringOffsetPastItsBufferIsRefused() throws Exception {
    assertRefused(rows -> ((VarCharVector) rows.getVector("name")).getOffsetBuffer().setInt(4, 100_000_000));
  }

  @Test
  void decreasingStringOffsetsAreRefused() throws Exception {
    assertRefused(rows -> ((VarCharVector) rows.getVector("name")).getOffsetBuffer().setInt(8, -5));
  }

  @Test
  void parametersWithAnOffsetPastTheirBufferAreRefused() throws Exception {
    VarCharVector value = new VarCharVector("p", allocator);
    value.allocateNew();
    value.setSafe(0, "abc".getBytes(StandardCharsets.UTF_8));
    value.setSafe(1, "def".getBytes(StandardCharsets.UTF_8));
    value.setValueCount(2);
    try (VectorSchemaRoot parameters = VectorSchemaRoot.of(value);
        FlightSqlClient.PreparedStatement statement = client.prepare("SELECT length(?) AS n")) {
      parameters.setRowCount(2); // two executions: the first value's end is the offset spoilt
      value.getOffsetBuffer().setInt(4, 100_000_000);
      statement.setParameters(parameters);
      FlightRuntimeException e = assertThrows(FlightRuntimeException.class, () -> {
        org.apache.arrow.flight.FlightInfo info = statement.execute();
        try (org.apache.arrow.flight.FlightStream stream = client.getStream(info.getEndpoints().get(0).getTicket())) {
          while (stream.next()) {
            // drain
          }
        }
      });
      assertTrue(e.getMessage().contains("not valid Arrow"), e.getMessage());
    }
    try (Connection c = server.connect()) {
      assertEquals(List.of("1"), values(c, "SELECT 1"), "the server keeps serving");
    }
  }

  @Test
  void aWellFormedUploadStillLands() throws Exception {
    long before;
    try (Connection c = server.connect()) {
      upload(rows -> { });
      before = Long.parseLong(values(c, "SELECT count(*) FROM uploads").get(0));
      assertEquals(3L, upload(rows -> { }));
      assertEquals(List.of(Long.toString(before + 3)), values(c, "SELECT count(*) FROM uploads"));
      assertTrue(values(c, "SELECT DISTINCT name FROM uploads ORDER BY name").equals(List.of("a", "aa", "aaa")));
    }
  }
}
