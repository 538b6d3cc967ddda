package io.splitbot.shared.launch;

import io.splitbot.shared.config.ConfigException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Collections;

/**
 * Turns CLUSTER_HOST and CLUSTER_PUBLIC_HOST into what the cluster engine and the event bus need. The engine binds to
 * an IP address, so a host name (as on Render's or compose's private network) is resolved first. A wildcard
 * bind (0.0.0.0) cannot be announced to other members, so the public address is then this machine's own private
 * IPv4 address, which is what each instance on a private network is reached at.
 */
final class ClusterAddresses {
  private ClusterAddresses() {
  }

  static boolean wildcard(String host) {
    return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
  }

  /** The IP address the cluster engine should bind to, or null to bind every interface. */
  static String bindAddress(String host) {
    if (wildcard(host)) {
      return null;
    }
    try {
      return InetAddress.getByName(host).getHostAddress();
    } catch (UnknownHostException e) {
      throw new ConfigException("CLUSTER_HOST '" + host + "' does not resolve to an address on this machine");
    }
  }

  /** The address other members use to reach this one: as configured, or this machine's own one for a wildcard. */
  static String publicHost(String configured) {
    return wildcard(configured) ? ownAddress() : configured;
  }

  /** The first private (site-local) IPv4 address of an interface that is up, else any non-loopback one, else loopback. */
  static String ownAddress() {
    String fallback = null;
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (!nic.isUp() || nic.isLoopback()) {
          continue;
        }
        for (InetAddress address : Collections.list(nic.getInetAddresses())) {
          if (!(address instanceof Inet4Address) || address.isLoopbackAddress() || address.isLinkLocalAddress()) {
            continue;
          }
          if (address.isSiteLocalAddress()) {
            return address.getHostAddress();
          }
          if (fallback == null) {
            fallback = address.getHostAddress();
          }
        }
      }
    } catch (SocketException e) {
      // fall through to the local host name
    }
    if (fallback != null) {
      return fallback;
    }
    try {
      return InetAddress.getLocalHost().getHostAddress();
    } catch (UnknownHostException e) {
      return "127.0.0.1";
    }
  }
}
