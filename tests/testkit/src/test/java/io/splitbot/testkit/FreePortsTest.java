package io.splitbot.testkit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class FreePortsTest {

  /** A port from the ephemeral range could be taken by an outgoing connection before its server binds it. */
  @Test
  void portsComeFromBelowTheSystemsEphemeralRange() throws Exception {
    Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    List<String> lines = Files.exists(range) ? Files.readAllLines(range) : List.of("49152 65535");
    int ephemeralLow = Integer.parseInt(lines.get(0).trim().split("\\s+")[0]);
    // More calls than the range holds: every port it can hand out is seen.
    for (int i = 0; i < 30_000; i++) {
      int port = FreePorts.next();
      assertTrue(port >= 20_000 && port < ephemeralLow, port + " is not below " + ephemeralLow);
    }
  }
}
