package io.deltasync.e2e.app;

import org.mybatis.spring.annotation.MapperScan;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A small shop application, as a DeltaSync user writes one: Spring Boot, MyBatis mappers, and
 * DeltaSync configured by properties only (node id, upstream, route files, secret). The end-to-end
 * tests run it as a client process.
 */
@SpringBootApplication
@MapperScan("io.deltasync.e2e.app")
public class ShopApplication {

  public static void main(String[] args) {
    SpringApplication.run(ShopApplication.class, args);
  }
}
