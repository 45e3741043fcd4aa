package dev.tarn.bench.stream;

import dev.tarn.bench.stream.StreamQuery.Tally;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightEndpoint;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.sql.FlightSqlClient;
import org.apache.arrow.memory.BufferAllocator;

/** (c) Tarn through the native Arrow Flight SQL client: Arrow batches end to end. */
final class TarnNativeClient implements StreamSide {
  private final BufferAllocator allocator;
  private final FlightSqlClient client;
  private final String sql;

  TarnNativeClient(BufferAllocator parent, String host, int port, String sql) {
    this.allocator = parent.newChildAllocator("tarn-native-client", 0, Long.MAX_VALUE);
    this.client = new FlightSqlClient(
        FlightClient.builder(allocator, Location.forGrpcInsecure(host, port)).build());
    this.sql = sql;
  }

  @Override
  public String key() {
    return "c";
  }

  @Override
  public String label() {
    return "Tarn, native Flight SQL client";
  }

  @Override
  @SuppressWarnings("try") // FlightStream.close() declares Exception, which includes InterruptedException
  public Tally fetch() throws Exception {
    ArrowCounter counter = new ArrowCounter(label());
    FlightInfo info = client.execute(sql);
    for (FlightEndpoint endpoint : info.getEndpoints()) {
      try (FlightStream stream = client.getStream(endpoint.getTicket())) {
        while (stream.next()) {
          counter.add(stream.getRoot());
        }
      }
    }
    return counter.tally();
  }

  @Override
  public void close() {
    try {
      client.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      throw new IllegalStateException(label() + ": closing the client failed: " + e.getMessage(), e);
    } finally {
      allocator.close();
    }
  }
}
