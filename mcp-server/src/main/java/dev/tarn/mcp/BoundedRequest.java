package dev.tarn.mcp;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * A request whose body may be read only up to a limit: the MCP transport reads a message whole, so
 * without one an authenticated client could make the server hold any amount of memory. Reading past
 * the limit fails with an error that names it. (A declared Content-Length over the limit is refused
 * before this, by {@link BearerGate}.)
 */
final class BoundedRequest extends HttpServletRequestWrapper {
  private final long limit;
  private ServletInputStream stream;
  private BufferedReader reader;

  BoundedRequest(HttpServletRequest request, long limit) {
    super(request);
    this.limit = limit;
  }

  @Override
  public synchronized ServletInputStream getInputStream() throws IOException {
    if (stream == null) {
      stream = new Counted(super.getInputStream(), limit);
    }
    return stream;
  }

  @Override
  public synchronized BufferedReader getReader() throws IOException {
    if (reader == null) {
      String encoding = getCharacterEncoding();
      Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
      reader = new BufferedReader(new InputStreamReader(getInputStream(), charset));
    }
    return reader;
  }

  /** The body's bytes, counted. */
  private static final class Counted extends ServletInputStream {
    private final ServletInputStream in;
    private final long limit;
    private long read;

    Counted(ServletInputStream in, long limit) {
      this.in = in;
      this.limit = limit;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = in.read(buffer, offset, length);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    private void count(int n) throws IOException {
      read += n;
      if (read > limit) {
        throw new IOException("an MCP request body may hold at most " + limit + " bytes (1 MiB)");
      }
    }

    @Override
    public boolean isFinished() {
      return in.isFinished();
    }

    @Override
    public boolean isReady() {
      return in.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
      in.setReadListener(listener);
    }
  }
}
