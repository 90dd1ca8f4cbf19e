package io.deltasync.cluster.internal;

import com.hazelcast.cluster.Member;
import com.hazelcast.config.Config;
import io.deltasync.cluster.ClusterSettings;
import io.deltasync.cluster.NodeInfo;
import io.deltasync.cluster.NodeRole;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Instant;

/** The attributes a DeltaSync member carries, so that other members know its node. */
public final class MemberAttributes {

  /** The node id of the member. */
  public static final String NODE_ID = "deltasync.node-id";

  /** The role of the member's node: HUB or CLIENT. */
  public static final String ROLE = "deltasync.role";

  /** The DeltaSync version the member runs, when known. */
  public static final String VERSION = "deltasync.version";

  private MemberAttributes() {}

  /** Sets this member's attributes in its config. */
  public static void apply(Config config, ClusterSettings settings) {
    config.getMemberAttributeConfig().setAttribute(NODE_ID, settings.nodeId());
    config.getMemberAttributeConfig().setAttribute(ROLE, settings.role().name());
    if (settings.version() != null) {
      config.getMemberAttributeConfig().setAttribute(VERSION, settings.version());
    }
  }

  /**
   * What a member's attributes say about its node, as heard now; null for non-DeltaSync members.
   */
  public static NodeInfo nodeOf(Member member, Instant now) {
    String nodeId = member.getAttribute(NODE_ID);
    if (nodeId == null) {
      return null;
    }
    String role = member.getAttribute(ROLE);
    return new NodeInfo(
        nodeId,
        role == null ? NodeRole.CLIENT : NodeRole.valueOf(role),
        hostAndPort(member.getSocketAddress()),
        member.getAttribute(VERSION),
        null,
        now,
        now);
  }

  /** {@code host:port} of a socket address, or null. */
  public static String hostAndPort(SocketAddress address) {
    if (address instanceof InetSocketAddress inet) {
      return inet.getHostString() + ":" + inet.getPort();
    }
    return address == null ? null : address.toString();
  }
}
