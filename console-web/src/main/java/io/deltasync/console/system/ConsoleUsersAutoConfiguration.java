package io.deltasync.console.system;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.security.servlet.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

/**
 * The console's users from {@code deltasync.console.users.<name>.password} and {@code .role}. An
 * application's own {@link UserDetailsService} bean replaces them. With no users configured, the
 * user {@code admin} (role ADMIN) is created with a random password, logged once at start in a line
 * ending {@code password: <value>}; there is no built-in default password.
 */
@AutoConfiguration(before = UserDetailsServiceAutoConfiguration.class)
@EnableConfigurationProperties(ConsoleProperties.class)
public class ConsoleUsersAutoConfiguration {

  private static final Logger LOG = LoggerFactory.getLogger(ConsoleUsersAutoConfiguration.class);

  /** Delegating encoder: BCrypt for new hashes, any {@code {id}}-prefixed hash to check. */
  @Bean
  @ConditionalOnMissingBean
  public PasswordEncoder consolePasswordEncoder() {
    return PasswordEncoderFactories.createDelegatingPasswordEncoder();
  }

  @Bean
  @ConditionalOnMissingBean(UserDetailsService.class)
  public InMemoryUserDetailsManager consoleUsers(
      ConsoleProperties properties, PasswordEncoder encoder) {
    List<UserDetails> users = new ArrayList<>();
    for (Map.Entry<String, ConsoleProperties.User> entry : properties.getUsers().entrySet()) {
      ConsoleProperties.User user = entry.getValue();
      if (user.getPassword() == null || user.getPassword().isBlank()) {
        throw new IllegalStateException(
            "deltasync.console.users." + entry.getKey() + ".password must be set, but was empty");
      }
      users.add(
          User.withUsername(entry.getKey())
              .password(encoded(user.getPassword(), encoder))
              .roles(user.getRole().name())
              .build());
    }
    if (users.isEmpty()) {
      String password = generatedPassword();
      users.add(
          User.withUsername("admin")
              .password(encoder.encode(password))
              .roles(ConsoleProperties.Role.ADMIN.name())
              .build());
      LOG.warn(
          "No deltasync.console.users configured: console user 'admin' (ADMIN) has the generated"
              + " password: {}",
          password);
    }
    return new InMemoryUserDetailsManager(users);
  }

  private static String encoded(String password, PasswordEncoder encoder) {
    return password.startsWith("{") ? password : encoder.encode(password);
  }

  private static String generatedPassword() {
    byte[] bytes = new byte[15];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
