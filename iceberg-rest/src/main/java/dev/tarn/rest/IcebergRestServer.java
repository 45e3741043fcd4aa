package dev.tarn.rest;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tarn.core.audit.AuditLog;
import dev.tarn.core.lakehouse.Lakehouse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.iceberg.rest.responses.ErrorResponse;
import org.apache.iceberg.rest.responses.ErrorResponseParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Iceberg REST catalog over HTTP, on the JDK's built-in server: the door for other engines
 * (Spark, Trino, PyIceberg) to Tarn's branches and tags. Requests are answered by {@link RestRoutes}
 * on a small bounded pool; every error becomes Iceberg's error JSON, and the server keeps serving.
 * Every request leaves one audit record ({@link RequestAudit}).
 */
public final class IcebergRestServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(IcebergRestServer.class);
  /** Metadata commits are small; a body larger than this is refused before it is read whole. */
  static final int MAX_BODY_BYTES = 32 << 20;
  private static final int THREADS = 8;

  private final HttpServer server;
  private final ExecutorService pool;

  private IcebergRestServer(HttpServer server, ExecutorService pool) {
    this.server = server;
    this.pool = pool;
  }

  /** Starts serving on {@code host:port} (0 picks a free port). */
  public static IcebergRestServer start(String host, int port, Lakehouse lakehouse, RestAuthenticator auth,
      AuditLog audit) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
    ExecutorService pool = pool();
    RestRoutes routes = new RestRoutes(lakehouse, auth);
    server.createContext("/", exchange -> answer(exchange, routes, audit));
    server.setExecutor(pool);
    server.start();
    return new IcebergRestServer(server, pool);
  }

  private static void answer(HttpExchange exchange, RestRoutes routes, AuditLog log) {
    try (exchange) {
      String clientAddress = exchange.getRemoteAddress().getAddress().getHostAddress();
      RequestAudit audit = new RequestAudit(log, exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
          clientAddress);
      RestRoutes.Answer answer;
      try {
        answer = routes.answer(new RestRoutes.Request(
            exchange.getRequestMethod(),
            exchange.getRequestURI().getRawPath(),
            exchange.getRequestURI().getRawQuery(),
            exchange.getRequestHeaders().getFirst("Authorization"),
            exchange.getRequestHeaders().getFirst("User-Agent"),
            exchange.getRequestHeaders().getFirst("X-Client-Version"),
            clientAddress,
            body(exchange)), audit);
        audit.finish(answer.code(), null, null);
      } catch (RuntimeException e) {
        ErrorResponse error = RestErrors.toResponse(e);
        answer = new RestRoutes.Answer(error.code(), ErrorResponseParser.toJson(error).getBytes(
            java.nio.charset.StandardCharsets.UTF_8));
        audit.finish(error.code(), error.type(), error.message());
      }
      send(exchange, answer);
    } catch (IOException | RuntimeException e) {
      LOG.debug("Iceberg REST answer not sent: {}", e.toString());
    }
  }

  private static byte[] body(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
      if (body.length > MAX_BODY_BYTES) {
        throw new RestStatus(413, "BadRequestException", "the request body is larger than the "
            + (MAX_BODY_BYTES >> 20) + " MiB this server takes");
      }
      return body;
    }
  }

  private static void send(HttpExchange exchange, RestRoutes.Answer answer) throws IOException {
    if (answer.body() == null || "HEAD".equals(exchange.getRequestMethod())) {
      exchange.sendResponseHeaders(answer.code(), -1);
      return;
    }
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(answer.code(), answer.body().length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(answer.body());
    }
  }

  private static ExecutorService pool() {
    AtomicInteger counter = new AtomicInteger();
    ThreadPoolExecutor pool = new ThreadPoolExecutor(THREADS, THREADS, 60, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), r -> {
          Thread t = new Thread(r, "tarn-iceberg-rest-" + counter.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }
}
