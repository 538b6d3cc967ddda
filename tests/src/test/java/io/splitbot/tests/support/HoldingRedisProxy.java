package io.splitbot.tests.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP proxy in front of a Redis server that can make it slow for one command: once {@link #holdNext armed}, the
 * first request whose bytes contain every given fragment (e.g. {@code HGETALL} and {@code profile:max:}) makes its
 * connection's answers wait for the given time, then they flow again in order. Redis that answers late, for exactly
 * the command a test is about, while everything else works.
 */
public final class HoldingRedisProxy implements AutoCloseable {
  private final ServerSocket server;
  private final int upstreamPort;
  private final AtomicReference<String[]> armed = new AtomicReference<>();
  private final AtomicLong holdNanos = new AtomicLong();
  private final AtomicInteger held = new AtomicInteger();
  private final CopyOnWriteArrayList<Socket> sockets = new CopyOnWriteArrayList<>();

  public HoldingRedisProxy(int upstreamPort) throws IOException {
    this.upstreamPort = upstreamPort;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread accept = new Thread(this::accept, "redis-proxy-accept");
    accept.setDaemon(true);
    accept.start();
  }

  public int port() {
    return server.getLocalPort();
  }

  /** host:port, as seed 001's REDIS_ADDR has it. */
  public String address() {
    return "127.0.0.1:" + port();
  }

  /** The next request containing all of {@code fragments} (case-insensitive) holds its connection's answers for {@code hold}. */
  public void holdNext(Duration hold, String... fragments) {
    holdNanos.set(hold.toNanos());
    armed.set(fragments);
  }

  /** How many requests were held. */
  public int held() {
    return held.get();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
        sockets.add(client);
        sockets.add(upstream);
        AtomicLong holdUntil = new AtomicLong();
        pump("redis-proxy-requests", client, upstream, bytes -> {
          String[] fragments = armed.get();
          if (fragments != null && containsAll(bytes, fragments) && armed.compareAndSet(fragments, null)) {
            holdUntil.set(System.nanoTime() + holdNanos.get());
            held.incrementAndGet();
          }
        });
        pump("redis-proxy-answers", upstream, client, bytes -> {
          long wait = holdUntil.get() - System.nanoTime();
          while (wait > 0) {
            LockSupport.parkNanos(wait); // the slowness this proxy is for
            wait = holdUntil.get() - System.nanoTime();
          }
        });
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private static boolean containsAll(String bytes, String[] fragments) {
    String lower = bytes.toLowerCase(Locale.ROOT);
    for (String f : fragments) {
      if (!lower.contains(f.toLowerCase(Locale.ROOT))) {
        return false;
      }
    }
    return true;
  }

  private interface Inspect {
    void before(String bytes);
  }

  private void pump(String name, Socket from, Socket to, Inspect inspect) {
    Thread t = new Thread(() -> {
      byte[] buffer = new byte[16 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int n;
        while ((n = in.read(buffer)) >= 0) {
          inspect.before(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (IOException e) {
        // one side closed: the other goes too
      } finally {
        closeQuietly(from);
        closeQuietly(to);
      }
    }, name);
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    sockets.forEach(HoldingRedisProxy::closeQuietly);
  }
}
