package io.deltasync.console.system;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

@ExtendWith(OutputCaptureExtension.class)
class ConsoleUsersAutoConfigurationTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(ConsoleUsersAutoConfiguration.class));

  @Test
  void withoutUsersCreatesAdminWithAGeneratedPasswordLoggedOnceThatWorks(CapturedOutput output) {
    runner.run(
        context -> {
          String[] lines =
              output
                  .getOut()
                  .lines()
                  .filter(line -> line.contains("password: "))
                  .toArray(String[]::new);
          assertThat(lines).hasSize(1);
          String password = lines[0].substring(lines[0].indexOf("password: ") + 10).trim();
          assertThat(password).hasSizeGreaterThanOrEqualTo(16);

          Authentication admin =
              authenticate(
                  context.getBean(UserDetailsService.class),
                  context.getBean(PasswordEncoder.class),
                  "admin",
                  password);
          assertThat(admin.getAuthorities())
              .extracting(Object::toString)
              .containsExactly("ROLE_ADMIN");
          assertThat(
                  context
                      .getBean(UserDetailsService.class)
                      .loadUserByUsername("admin")
                      .getPassword())
              .startsWith("{bcrypt}")
              .doesNotContain(password);
        });
  }

  @Test
  void twoStartsGenerateTwoDifferentPasswords(CapturedOutput output) {
    runner.run(context -> {});
    runner.run(context -> {});
    assertThat(output.getOut().lines().filter(line -> line.contains("password: ")).distinct())
        .hasSize(2);
  }

  @Test
  void configuredUsersGetTheirRolesAndPlainPasswordsAreHashed(CapturedOutput output) {
    String hash =
        "{bcrypt}"
            + new org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder()
                .encode("secret-2");
    runner
        .withPropertyValues(
            "deltasync.console.users.alice.password=secret-1",
            "deltasync.console.users.alice.role=ADMIN",
            "deltasync.console.users.bob.password=" + hash)
        .run(
            context -> {
              UserDetailsService users = context.getBean(UserDetailsService.class);
              PasswordEncoder encoder = context.getBean(PasswordEncoder.class);
              assertThat(users.loadUserByUsername("alice").getPassword()).startsWith("{bcrypt}");
              assertThat(authenticate(users, encoder, "alice", "secret-1").getAuthorities())
                  .extracting(Object::toString)
                  .containsExactly("ROLE_ADMIN");
              assertThat(authenticate(users, encoder, "bob", "secret-2").getAuthorities())
                  .extracting(Object::toString)
                  .containsExactly("ROLE_VIEWER");
              assertThat(output.getOut()).doesNotContain("password: ");
            });
  }

  @Test
  void anApplicationsOwnUserDetailsServiceReplacesTheConsoleUsers(CapturedOutput output) {
    runner
        .withBean(
            UserDetailsService.class,
            () ->
                new InMemoryUserDetailsManager(
                    User.withUsername("own").password("{noop}x").roles("ADMIN").build()))
        .withPropertyValues("deltasync.console.users.alice.password=secret-1")
        .run(
            context -> {
              assertThat(context).hasSingleBean(UserDetailsService.class);
              assertThat(context.getBean(UserDetailsService.class).loadUserByUsername("own"))
                  .isNotNull();
              assertThat(output.getOut()).doesNotContain("password: ");
            });
  }

  private static Authentication authenticate(
      UserDetailsService users, PasswordEncoder encoder, String user, String password) {
    DaoAuthenticationProvider provider = new DaoAuthenticationProvider(users);
    provider.setPasswordEncoder(encoder);
    return provider.authenticate(new UsernamePasswordAuthenticationToken(user, password));
  }
}
