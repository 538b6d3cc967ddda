package io.splitbot.shared.launch;

import io.splitbot.shared.config.ClusterCredentials;
import io.splitbot.shared.config.ConfigException;
import io.splitbot.shared.config.SplitbotConfig;
import io.vertx.core.Completable;
import io.vertx.core.Vertx;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.ext.cluster.infinispan.InfinispanClusterManager;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLServerSocket;
import org.infinispan.configuration.cache.CacheMode;
import org.infinispan.configuration.cache.ConfigurationBuilder;
import org.infinispan.configuration.global.GlobalConfigurationBuilder;
import org.infinispan.configuration.parsing.ConfigurationBuilderHolder;
import org.infinispan.conflict.MergePolicy;
import org.infinispan.manager.DefaultCacheManager;
import org.infinispan.remoting.transport.jgroups.JGroupsTransport;
import org.jgroups.JChannel;
import org.jgroups.protocols.FD_ALL3;
import org.jgroups.protocols.FRAG4;
import org.jgroups.protocols.MERGE3;
import org.jgroups.protocols.MFC;
import org.jgroups.protocols.TCP;
import org.jgroups.protocols.TCPPING;
import org.jgroups.protocols.UFC;
import org.jgroups.protocols.UNICAST3;
import org.jgroups.protocols.VERIFY_SUSPECT2;
import org.jgroups.protocols.pbcast.GMS;
import org.jgroups.protocols.pbcast.NAKACK2;
import org.jgroups.protocols.pbcast.STABLE;
import org.jgroups.stack.Protocol;
import org.jgroups.util.DefaultSocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster engine: Infinispan over a JGroups stack built here from the CLUSTER_* settings. TCP with a static member
 * list (TCPPING, no multicast, no extra failure-detection port), and with {@link ClusterCredentials} every engine
 * connection is mutual TLS: a process without a certificate the cluster's CA signed fails the handshake, so it never
 * exchanges a byte with the members, let alone joins. Hazelcast's community edition cannot do this (member
 * authentication and TLS are Enterprise features), which is why the engine is JGroups; docs/CLUSTER.md has the
 * reasoning.
 */
final class ClusterEngine {
  private static final Logger log = LoggerFactory.getLogger(ClusterEngine.class);
  static final String CLUSTER_NAME = "splitbot";

  private ClusterEngine() {
  }

  /** @param nodeName the process's node id: the cluster's node id is the channel's logical name, never a host name */
  static ClusterManager manager(SplitbotConfig.Cluster c, String nodeName) {
    try {
      JChannel channel = channel(c);
      channel.name(nodeName);
      return new OwnedCacheManager(cacheManager(channel, nodeName));
    } catch (ConfigException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("cannot set up the cluster engine: " + e.getMessage(), e);
    }
  }

  /** The JGroups channel, not yet connected (Infinispan connects it when the cache manager starts). */
  static JChannel channel(SplitbotConfig.Cluster c) throws Exception {
    TCP tcp = new TCP();
    String bind = ClusterAddresses.bindAddress(c.host());
    tcp.setBindAddress(InetAddress.getByName(bind == null ? "0.0.0.0" : bind));
    tcp.setBindPort(c.clusterPort());
    tcp.setPortRange(0);
    tcp.setExternalAddr(resolve("CLUSTER_PUBLIC_HOST", ClusterAddresses.publicHost(c.publicHost())));
    tcp.setExternalPort(c.clusterPort());
    if (c.tls() != null) {
      DefaultSocketFactory sockets = new DefaultSocketFactory(c.tls().sslContext());
      // Client authentication on every accepted connection: the joining side must show a certificate too.
      sockets.setServerSocketConfigurator(s -> ((SSLServerSocket) s).setNeedClientAuth(true));
      tcp.setSocketFactory(sockets);
      // The TLS handshake happens within the accepting side's first read, whose limit is this; a JVM that has just
      // started (and a busy machine) needs more than the default second, or the connection is dropped and each side
      // forms a cluster of its own until the next merge.
      tcp.setPeerAddrReadTimeout(10_000);
      tcp.setSockConnTimeout(5_000);
    }
    List<Protocol> stack = List.of(
        tcp,
        new TCPPING().setInitialHosts(members(c)).setPortRange(0),
        // Two members that started apart (one was not reachable yet) find each other within seconds.
        new MERGE3().setMinInterval(2_000).setMaxInterval(6_000),
        // Heartbeats over the transport (so over TLS); a killed member is suspected after 8 s.
        new FD_ALL3().setInterval(2_000).setTimeout(8_000),
        new VERIFY_SUSPECT2().setTimeout(1_000),
        new NAKACK2().useMcastXmit(false),
        new UNICAST3(),
        new STABLE(),
        // No banner on stdout: every line a process writes is a log line (LOG_FORMAT=json included).
        new GMS().setJoinTimeout(2_000).printLocalAddress(false),
        new UFC(),
        new MFC(),
        new FRAG4());
    return new JChannel(stack);
  }

  /**
   * CLUSTER_MEMBERS as socket addresses, each name with every address it resolves to; a member without a port is tried
   * on the local CLUSTER_PORT. A name that does not resolve yet (a peer that is still being created) is left out: that
   * peer finds this member when it starts.
   */
  static List<InetSocketAddress> members(SplitbotConfig.Cluster c) {
    List<InetSocketAddress> out = new ArrayList<>();
    for (String member : c.members()) {
      int colon = member.lastIndexOf(':');
      boolean hasPort = colon > 0 && member.indexOf(']') < colon && !member.substring(0, colon).contains(":")
          || member.startsWith("[") && colon > member.indexOf(']');
      String host = hasPort ? member.substring(0, colon) : member;
      int port = hasPort ? Integer.parseInt(member.substring(colon + 1)) : c.clusterPort();
      // Every address the name has: a service of several instances may answer its name with each instance's address.
      // One family only (IPv4 when it has any), as one stack binds one: "localhost" is 127.0.0.1 and ::1.
      try {
        InetAddress[] all = InetAddress.getAllByName(host.replace("[", "").replace("]", ""));
        boolean v4 = Arrays.stream(all).anyMatch(a -> a instanceof Inet4Address);
        for (InetAddress each : all) {
          if (!v4 || each instanceof Inet4Address) {
            out.add(new InetSocketAddress(each, port));
          }
        }
      } catch (UnknownHostException e) {
        log.warn("cluster member {} does not resolve yet; it will find this member when it starts", host);
      }
    }
    return out;
  }

  private static InetAddress resolve(String variable, String host) {
    try {
      return InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw new ConfigException(variable + " '" + host + "' does not resolve to an address");
    }
  }

  /** The caches vertx-infinispan expects (its default-infinispan.xml), on our channel. */
  static DefaultCacheManager cacheManager(JChannel channel, String nodeName) {
    ConfigurationBuilderHolder holder = new ConfigurationBuilderHolder();
    GlobalConfigurationBuilder global = holder.getGlobalConfigurationBuilder().clusteredDefault();
    global.transport().clusterName(CLUSTER_NAME).nodeName(nodeName).transport(new JGroupsTransport(channel));
    global.defaultCacheName("distributed-cache");
    global.jmx().disable();
    ConfigurationBuilder distributed = holder.newConfigurationBuilder("distributed-cache");
    distributed.clustering().cacheMode(CacheMode.DIST_SYNC);
    for (String name : List.of("__vertx.subs", "__vertx.haInfo", "__vertx.nodeInfo")) {
      // After a merge each side keeps the entries only it had (the other side's consumers), instead of one side's
      // map replacing the other's.
      holder.newConfigurationBuilder(name).clustering().cacheMode(CacheMode.REPL_SYNC)
          .partitionHandling().mergePolicy(MergePolicy.PREFERRED_NON_NULL);
    }
    holder.newConfigurationBuilder("__vertx.distributed.cache.configuration")
        .clustering().cacheMode(CacheMode.DIST_SYNC).template(true);
    return new DefaultCacheManager(holder, false);
  }

  /**
   * vertx-infinispan with a cache manager it did not create: it neither starts nor stops one given to it, so this
   * starts ours when Vert.x joins (on a worker thread) and stops it, leaving the JGroups view, when Vert.x leaves.
   */
  static final class OwnedCacheManager extends InfinispanClusterManager {
    private final DefaultCacheManager cacheManager;
    private Vertx vertx;

    OwnedCacheManager(DefaultCacheManager cacheManager) {
      super(cacheManager);
      this.cacheManager = cacheManager;
    }

    @Override
    public void init(Vertx vertx) {
      this.vertx = vertx;
      super.init(vertx);
    }

    @Override
    public void join(Completable<Void> promise) {
      vertx.<Void>executeBlocking(() -> {
        cacheManager.start();
        return null;
      }, false).onComplete((ok, failure) -> {
        if (failure != null) {
          promise.fail(failure);
        } else {
          super.join(promise);
        }
      });
    }

    @Override
    public void leave(Completable<Void> promise) {
      super.leave((ok, failure) -> vertx.<Void>executeBlocking(() -> {
        cacheManager.stop();
        return null;
      }, false).onComplete((stopped, stopFailure) -> promise.complete(null, failure != null ? failure : stopFailure)));
    }
  }
}
