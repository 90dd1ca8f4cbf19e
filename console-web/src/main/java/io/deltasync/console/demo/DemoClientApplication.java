package io.deltasync.console.demo;

import org.mybatis.spring.boot.autoconfigure.ConfigurationCustomizer;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * A client node of the demo: its database, MyBatis with the DeltaSync plugin and {@link
 * DemoMapper}, and the HTTP push and pull routes to the hub. No console, no cluster.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class DemoClientApplication {

  @Bean
  ConfigurationCustomizer demoMapper() {
    return configuration -> configuration.addMapper(DemoMapper.class);
  }
}
