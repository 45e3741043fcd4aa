package dev.tarn.server.session;

import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerStreamTracer;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Optional;
import org.apache.arrow.flight.CallHeaders;

/**
 * Tells Flight middleware and authentication where a call comes from. Flight's API does not expose
 * the peer, and Flight's own interceptors run before any a server adds, so this gRPC stream tracer,
 * which sees each call before every interceptor, copies the transport's remote address ({@code
 * host|port}, one per client connection) into a call header, replacing any value a client sent
 * under that name.
 */
public final class ClientAddress extends ServerStreamTracer.Factory {
  static final String HEADER = "x-tarn-client-address";
  private static final Metadata.Key<String> KEY = Metadata.Key.of(HEADER, Metadata.ASCII_STRING_MARSHALLER);

  @Override
  public ServerStreamTracer newServerStreamTracer(String fullMethodName, Metadata headers) {
    headers.removeAll(KEY);
    return new ServerStreamTracer() {
      @Override
      public void serverCallStarted(ServerCallInfo<?, ?> callInfo) {
        SocketAddress remote = callInfo.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
        if (remote != null) {
          headers.put(KEY, describe(remote));
        }
      }
    };
  }

  private static String describe(SocketAddress remote) {
    if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
      return inet.getAddress().getHostAddress() + "|" + inet.getPort();
    }
    return remote.toString().replaceAll("[^\\x21-\\x7e]", "?") + "|0";
  }

  /** The client's transport connection ({@code host|port}), when known. */
  public static Optional<String> connection(CallHeaders headers) {
    return Optional.ofNullable(headers.get(HEADER));
  }

  /** The client's connection as people write it ({@code host:port}, {@code [v6 host]:port}), when known. */
  public static Optional<String> display(CallHeaders headers) {
    return connection(headers).map(c -> {
      int bar = c.lastIndexOf('|');
      String host = c.substring(0, bar);
      return (host.contains(":") ? "[" + host + "]" : host) + ":" + c.substring(bar + 1);
    });
  }

  /** The client's host address, when known: what failed logins are counted by. */
  public static Optional<String> host(CallHeaders headers) {
    return connection(headers).map(c -> c.substring(0, c.lastIndexOf('|')));
  }
}
