package io.deltasync.e2e.app;

import java.sql.SQLException;
import org.h2.tools.Server;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * When {@code shop.h2-tcp-port} is set, serves the shop's embedded H2 file database over TCP from
 * the shop's own process, so that the tests read it while it runs and lose the window when the
 * process dies (the database file stays the shop's alone).
 */
@Configuration
@ConditionalOnProperty("shop.h2-tcp-port")
class H2Window {

  @Bean(destroyMethod = "stop")
  Server h2TcpServer(@Value("${shop.h2-tcp-port}") int port) throws SQLException {
    return Server.createTcpServer("-tcpPort", String.valueOf(port), "-ifExists").start();
  }
}
