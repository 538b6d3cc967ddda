package io.splitbot.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ports for servers a test starts later. They come from below the system's ephemeral range, so that no outgoing
 * connection made meanwhile (a cluster join, an HTTP client) can take one before its server binds it, which a port
 * from {@code new ServerSocket(0)} risks. Each is checked free when handed out, and none is handed out twice.
 */
public final class FreePorts {
  /** The lowest port handed out: above the well-known and commonly configured ones. */
  private static final int FLOOR = 20_000;
  private static final int CEILING = ephemeralFloor();
  private static final AtomicInteger NEXT =
      new AtomicInteger(FLOOR + ThreadLocalRandom.current().nextInt(Math.max(1, CEILING - FLOOR)));

  private FreePorts() {
  }

  /** A port that nothing listens on now and that no outgoing connection will be given. */
  public static int next() {
    int span = CEILING - FLOOR;
    for (int tried = 0; tried < span; tried++) {
      int port = FLOOR + Math.floorMod(NEXT.getAndIncrement() - FLOOR, span);
      if (bindable(port)) {
        return port;
      }
    }
    throw new IllegalStateException("no free port between " + FLOOR + " and " + CEILING);
  }

  private static boolean bindable(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(false);
      socket.bind(new InetSocketAddress(port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Where the system's ephemeral ports begin (Linux says in /proc; elsewhere IANA's 49152). */
  private static int ephemeralFloor() {
    try {
      // A line reader: Files.readString answers "3" for this sysctl file on JDK 17 (it trusts the size of 0 it is
      // given), which put the floor at 49152 and let ports of the ephemeral range through.
      String range;
      try (BufferedReader reader = Files.newBufferedReader(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))) {
        range = String.valueOf(reader.readLine()).trim();
      }
      int low = Integer.parseInt(range.split("\\s+")[0]);
      return low > FLOOR + 1000 ? low : 49_152;
    } catch (IOException | RuntimeException e) {
      return 49_152;
    }
  }
}
