package io.splitbot.tests.support;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.DirectoryStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.nio.file.Files;
import java.nio.file.Path;

/** What /proc (Linux) says of a process: its resident memory, the CPU time it has used and its TCP sockets. */
public final class ProcFs {
  /** Clock ticks per second, the unit of {@link #cpuTicks}. */
  public static final long CLOCK_TICKS = clockTicks();

  private ProcFs() {
  }

  /** VmRSS in KiB, or -1 when the process is gone (or this is not Linux). */
  public static long rssKb(long pid) {
    return statusKb(pid, "VmRSS");
  }

  /** A KiB field of /proc/PID/status (VmRSS, RssAnon, RssFile, …), or -1 when the process is gone. */
  public static long statusKb(long pid, String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
        if (line.startsWith(field + ":")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  /** utime + stime in clock ticks, or -1 when the process is gone. */
  public static long cpuTicks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
      // Fields after the command name, which is in parentheses and may hold spaces.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** One TCP socket of a process: local and remote address (IP text) and port, and whether it listens. */
  public record TcpSocket(String localAddress, int localPort, String remoteAddress, int remotePort, boolean listening) {
  }

  /**
   * Every TCP socket (IPv4 and IPv6) the process holds: the socket inodes among its open files, looked up in
   * /proc/PID/net/tcp and tcp6 (which list its network namespace's sockets).
   */
  public static List<TcpSocket> tcpSockets(long pid) throws IOException {
    Set<String> inodes = new HashSet<>();
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", String.valueOf(pid), "fd"))) {
      for (Path fd : fds) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            inodes.add(target.substring(8, target.length() - 1));
          }
        } catch (IOException e) {
          // closed meanwhile
        }
      }
    }
    List<TcpSocket> sockets = new ArrayList<>();
    for (String table : List.of("tcp", "tcp6")) {
      List<String> lines = Files.readAllLines(Path.of("/proc", String.valueOf(pid), "net", table));
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.trim().split("\\s+");
        if (f.length > 9 && inodes.contains(f[9])) {
          String[] local = f[1].split(":");
          String[] remote = f[2].split(":");
          sockets.add(new TcpSocket(ip(local[0]), Integer.parseInt(local[1], 16), ip(remote[0]),
              Integer.parseInt(remote[1], 16), f[3].equals("0A")));
        }
      }
    }
    return sockets;
  }

  /** An address as /proc/net/tcp* writes it (32-bit words in host order, little-endian here) as IP text. */
  private static String ip(String hex) throws IOException {
    byte[] bytes = new byte[hex.length() / 2];
    for (int word = 0; word < bytes.length / 4; word++) {
      for (int i = 0; i < 4; i++) {
        int at = word * 8 + (3 - i) * 2;
        bytes[word * 4 + i] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
      }
    }
    return InetAddress.getByAddress(bytes).getHostAddress();
  }

  /** CPU seconds the process has used. */
  public static double cpuSeconds(long pid) {
    return (double) cpuTicks(pid) / CLOCK_TICKS;
  }

  private static long clockTicks() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      p.waitFor();
      return Long.parseLong(out);
    } catch (IOException | RuntimeException e) {
      return 100;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 100;
    }
  }
}
