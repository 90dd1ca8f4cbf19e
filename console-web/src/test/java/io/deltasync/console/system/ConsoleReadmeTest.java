package io.deltasync.console.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.beans.Introspector;
import java.beans.PropertyDescriptor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.password.PasswordEncoder;

/** The README's console section is true: its users block works, its table has every key. */
class ConsoleReadmeTest {

  private static final Path README = Path.of("..", "README.md");

  @Test
  void theUsersExampleGivesAliceAdminWithTheDocumentedPasswordAndBobViewer() throws IOException {
    List<String> lines =
        block("# the console's users")
            .lines()
            .filter(line -> !line.startsWith("#"))
            .map(line -> line.replace("${BOB_PASSWORD}", "bobs-password"))
            .toList();
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ConsoleUsersAutoConfiguration.class))
        .withPropertyValues(lines.toArray(String[]::new))
        .run(
            context -> {
              UserDetailsService users = context.getBean(UserDetailsService.class);
              PasswordEncoder encoder = context.getBean(PasswordEncoder.class);
              var alice = users.loadUserByUsername("alice");
              assertThat(encoder.matches("change-me", alice.getPassword())).isTrue();
              assertThat(alice.getAuthorities())
                  .extracting(Object::toString)
                  .containsExactly("ROLE_ADMIN");
              var bob = users.loadUserByUsername("bob");
              assertThat(encoder.matches("bobs-password", bob.getPassword())).isTrue();
              assertThat(bob.getAuthorities())
                  .extracting(Object::toString)
                  .containsExactly("ROLE_VIEWER");
            });
  }

  @Test
  void theKeysTableListsEverySetting() throws Exception {
    String section = section();
    List<String> documented = new ArrayList<>();
    Matcher key = Pattern.compile("\\| `(deltasync\\.console\\.[^`]+)` \\|").matcher(section);
    while (key.find()) {
      documented.add(key.group(1));
    }
    List<String> settings = new ArrayList<>();
    for (PropertyDescriptor property :
        Introspector.getBeanInfo(ConsoleProperties.class, Object.class).getPropertyDescriptors()) {
      if (property.getName().equals("users")) {
        settings.addAll(
            Arrays.asList(
                "deltasync.console.users.<name>.password", "deltasync.console.users.<name>.role"));
      } else {
        settings.add("deltasync.console." + kebab(property.getName()));
      }
    }
    assertThat(documented).containsExactlyInAnyOrderElementsOf(settings);
  }

  private static String kebab(String name) {
    return name.replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
  }

  private static String section() throws IOException {
    String readme = Files.readString(README);
    int start = readme.indexOf("## The console\n");
    return readme.substring(start, readme.indexOf("\n## ", start + 5));
  }

  private static String block(String firstLine) throws IOException {
    Matcher block =
        Pattern.compile(
                "```properties\\n(" + Pattern.quote(firstLine) + "\\n.*?)```", Pattern.DOTALL)
            .matcher(section());
    assertThat(block.find()).as("a properties block starting %s", firstLine).isTrue();
    return block.group(1);
  }
}
