package io.deltasync.cluster.autoconfigure;

import com.hazelcast.client.config.ClientClasspathXmlConfig;
import com.hazelcast.client.config.ClientClasspathYamlConfig;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.client.config.XmlClientConfigBuilder;
import com.hazelcast.client.config.YamlClientConfigBuilder;
import com.hazelcast.config.ClasspathXmlConfig;
import com.hazelcast.config.ClasspathYamlConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.FileSystemXmlConfig;
import com.hazelcast.config.FileSystemYamlConfig;
import com.hazelcast.config.JoinConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;

/** Hazelcast member and client configs from {@code deltasync.cluster.*}. */
final class HazelcastConfigs {

  private static final String CLASSPATH = "classpath:";

  private HazelcastConfigs() {}

  /** The member config: the config file's, or TCP-IP (or multicast) from the properties. */
  static Config member(DeltaSyncClusterProperties properties) {
    String file = properties.getConfigFile();
    if (file != null) {
      try {
        if (file.startsWith(CLASSPATH)) {
          String resource = file.substring(CLASSPATH.length());
          return yaml(file) ? new ClasspathYamlConfig(resource) : new ClasspathXmlConfig(resource);
        }
        return yaml(file) ? new FileSystemYamlConfig(file) : new FileSystemXmlConfig(file);
      } catch (IOException e) {
        throw new UncheckedIOException(
            "deltasync.cluster.config-file " + file + " cannot be read", e);
      }
    }
    Config config = new Config().setClusterName(properties.getClusterName());
    config
        .getNetworkConfig()
        .setPort(properties.getPort())
        .setPortAutoIncrement(properties.isPortAutoIncrement());
    JoinConfig join = config.getNetworkConfig().getJoin();
    join.getAutoDetectionConfig().setEnabled(false);
    join.getMulticastConfig().setEnabled(properties.isMulticast());
    join.getTcpIpConfig().setEnabled(!properties.isMulticast()).setMembers(properties.getMembers());
    return config;
  }

  /** The client config: the config file's, or the members and cluster name from the properties. */
  static ClientConfig client(DeltaSyncClusterProperties properties) {
    String file = properties.getConfigFile();
    if (file != null) {
      try {
        if (file.startsWith(CLASSPATH)) {
          String resource = file.substring(CLASSPATH.length());
          return yaml(file)
              ? new ClientClasspathYamlConfig(resource)
              : new ClientClasspathXmlConfig(resource);
        }
        return yaml(file)
            ? new YamlClientConfigBuilder(file).build()
            : new XmlClientConfigBuilder(file).build();
      } catch (IOException e) {
        throw new UncheckedIOException(
            "deltasync.cluster.config-file " + file + " cannot be read", e);
      }
    }
    ClientConfig config = new ClientConfig().setClusterName(properties.getClusterName());
    config.getNetworkConfig().setAddresses(properties.getMembers());
    return config;
  }

  private static boolean yaml(String file) {
    String lower = file.toLowerCase(Locale.ROOT);
    return lower.endsWith(".yaml") || lower.endsWith(".yml");
  }
}
