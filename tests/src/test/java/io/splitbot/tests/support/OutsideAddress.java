package io.splitbot.tests.support;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;

/** This machine's own IPv4 address on a network interface: asked there, a service must treat the test as a remote client. */
public final class OutsideAddress {
  private OutsideAddress() {
  }

  public static String get() throws SocketException {
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!nic.isUp() || nic.isLoopback()) {
        continue;
      }
      for (InetAddress address : Collections.list(nic.getInetAddresses())) {
        if (address instanceof Inet4Address && !address.isLoopbackAddress() && !address.isLinkLocalAddress()) {
          return address.getHostAddress();
        }
      }
    }
    throw new AssertionError("this test needs a non-loopback IPv4 address on a network interface");
  }
}
