package io.deltasync.cluster.internal;

import com.hazelcast.nio.serialization.compact.CompactReader;
import com.hazelcast.nio.serialization.compact.CompactSerializer;
import com.hazelcast.nio.serialization.compact.CompactWriter;
import io.deltasync.store.NodePointers;

/** Hazelcast Compact serialization of {@link NodePointers}, with a stable type name. */
public final class NodePointersSerializer implements CompactSerializer<NodePointers> {

  /** The Compact type name; members and clients must agree on it. */
  public static final String TYPE_NAME = "deltasync.NodePointers";

  @Override
  public NodePointers read(CompactReader reader) {
    return new NodePointers(
        reader.readString("nodeId"),
        reader.readString("peerId"),
        reader.readInt64("lastPushed"),
        reader.readInt64("lastProcessed"));
  }

  @Override
  public void write(CompactWriter writer, NodePointers pointers) {
    writer.writeString("nodeId", pointers.nodeId());
    writer.writeString("peerId", pointers.peerId());
    writer.writeInt64("lastPushed", pointers.lastPushed());
    writer.writeInt64("lastProcessed", pointers.lastProcessed());
  }

  @Override
  public String getTypeName() {
    return TYPE_NAME;
  }

  @Override
  public Class<NodePointers> getCompactClass() {
    return NodePointers.class;
  }
}
