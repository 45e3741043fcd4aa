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
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
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
  /** How much more of a too-large body is read and dropped so that the client gets the refusal. */
  private static final long MAX_DRAINED_BYTES = 256L << 20;
  /** Requests answered at once (catalog reads and commits); more wait for a turn once fully read. */
  private static final int WORKERS = 8;
  /**
   * Connections read at once. The JDK's server reads a request (headers and body) on a thread of its
   * executor, so a client that starts a request and never finishes it holds that thread: readers are
   * therefore many cheap threads, apart from the few workers, and slow clients cannot take the
   * workers from everyone else. A connection beyond this many is closed at once.
   */
  private static final int READERS = 256;
  /**
   * The longest a client may take to send one whole request, after which its connection is closed
   * and its reader freed: a 32 MiB body needs about 1 MiB/s.
   */
  static final int MAX_REQUEST_SECONDS = 30;
  /** The JDK server's setting for that deadline, in seconds (unset, a request may take forever). */
  private static final String MAX_REQUEST_TIME_PROPERTY = "sun.net.httpserver.maxReqTime";

  private final HttpServer server;
  private final ExecutorService pool;

  private IcebergRestServer(HttpServer server, ExecutorService pool) {
    this.server = server;
    this.pool = pool;
  }

  /** Starts serving on {@code host:port} (0 picks a free port). */
  public static IcebergRestServer start(String host, int port, Lakehouse lakehouse, RestAuthenticator auth,
      AuditLog audit) throws IOException {
    limitRequestTime();
    HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
    ExecutorService pool = pool();
    RestRoutes routes = new RestRoutes(lakehouse, auth);
    Semaphore workers = new Semaphore(WORKERS, true);
    server.createContext("/", exchange -> answer(exchange, routes, audit, workers));
    server.setExecutor(pool);
    server.start();
    return new IcebergRestServer(server, pool);
  }

  private static void answer(HttpExchange exchange, RestRoutes routes, AuditLog log, Semaphore workers) {
    try (exchange) {
      String clientAddress = exchange.getRemoteAddress().getAddress().getHostAddress();
      RequestAudit audit = new RequestAudit(log, exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
          clientAddress);
      RestRoutes.Answer answer;
      try {
        RestRoutes.Request request = new RestRoutes.Request(
            exchange.getRequestMethod(),
            exchange.getRequestURI().getRawPath(),
            exchange.getRequestURI().getRawQuery(),
            exchange.getRequestHeaders().getFirst("Authorization"),
            exchange.getRequestHeaders().getFirst("User-Agent"),
            exchange.getRequestHeaders().getFirst("X-Client-Version"),
            clientAddress,
            body(exchange));
        workers.acquireUninterruptibly();
        try {
          answer = routes.answer(request, audit);
        } finally {
          workers.release();
        }
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

  /**
   * Sets the JDK server's request deadline unless the operator set one. The JDK reads it once, when
   * the first HTTP server of the process starts; Tarn's REST catalog is that server.
   */
  private static void limitRequestTime() {
    if (System.getProperty(MAX_REQUEST_TIME_PROPERTY) == null) {
      System.setProperty(MAX_REQUEST_TIME_PROPERTY, Integer.toString(MAX_REQUEST_SECONDS));
    }
  }

  private static byte[] body(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
      if (body.length > MAX_BODY_BYTES) {
        // read on (within the request deadline) and drop the rest: a connection closed on an unread body
        // is reset, and the client would see a broken connection instead of this answer
        drop(in, MAX_DRAINED_BYTES);
        throw new RestStatus(413, "BadRequestException", "the request body is larger than the "
            + (MAX_BODY_BYTES >> 20) + " MiB this server takes");
      }
      return body;
    }
  }

  private static void drop(InputStream in, long atMost) throws IOException {
    byte[] buffer = new byte[64 << 10];
    long left = atMost;
    int read;
    while (left > 0 && (read = in.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0) {
      left -= read;
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
    // no queue: a connection gets a reader at once, or (beyond READERS) is closed by the server
    ThreadPoolExecutor pool = new ThreadPoolExecutor(0, READERS, 60, TimeUnit.SECONDS,
        new SynchronousQueue<>(), r -> {
          Thread t = new Thread(r, "tarn-iceberg-rest-" + counter.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
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
