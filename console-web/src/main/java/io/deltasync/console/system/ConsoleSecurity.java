package io.deltasync.console.system;

import java.util.LinkedHashMap;
import org.springframework.boot.actuate.autoconfigure.security.servlet.EndpointRequest;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.HeadersConfigurer;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.DelegatingAuthenticationEntryPoint;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Who may reach what: the sync endpoints ({@code /deltasync/**}) carry their own node
 * authentication (signed envelopes), so they pass without login or CSRF token; the login page,
 * static assets and the health status are public; every page and {@code /api} GET needs a VIEWER or
 * ADMIN; every action (the {@code /actions} pages, any other POST) needs an ADMIN. Anonymous
 * requests to {@code /api/**} get 401 rather than a redirect to the login form. CSRF protects every
 * form and API POST (send the session's token as {@code X-CSRF-TOKEN}); the session id changes at
 * login; the default secure headers are on, with a content security policy that allows no script
 * from anywhere else.
 */
@Configuration(proxyBeanMethods = false)
class ConsoleSecurity {

  @Bean
  SecurityFilterChain consoleFilterChain(HttpSecurity http) throws Exception {
    PathPatternRequestMatcher.Builder path = PathPatternRequestMatcher.withDefaults();
    http.authorizeHttpRequests(
            requests ->
                requests
                    .requestMatchers(path.matcher("/deltasync/**"))
                    .permitAll()
                    .requestMatchers(
                        path.matcher("/login"),
                        path.matcher("/css/**"),
                        path.matcher("/favicon.ico"),
                        path.matcher("/error"))
                    .permitAll()
                    .requestMatchers(EndpointRequest.to(HealthEndpoint.class))
                    .permitAll()
                    .requestMatchers(path.matcher("/actions/**"), path.matcher("/api/actions/**"))
                    .hasRole("ADMIN")
                    .requestMatchers(path.matcher(HttpMethod.POST, "/logout"))
                    .authenticated()
                    .requestMatchers(path.matcher(HttpMethod.POST, "/**"))
                    .hasRole("ADMIN")
                    .anyRequest()
                    .hasAnyRole("VIEWER", "ADMIN"))
        .csrf(csrf -> csrf.ignoringRequestMatchers(path.matcher("/deltasync/**")))
        .formLogin(form -> form.loginPage("/login").permitAll())
        .logout(logout -> logout.logoutSuccessUrl("/login?logout").permitAll())
        .exceptionHandling(errors -> errors.authenticationEntryPoint(entryPoint(path)))
        .sessionManagement(
            session -> session.sessionFixation(fixation -> fixation.changeSessionId()))
        .headers(
            headers ->
                headers
                    .frameOptions(HeadersConfigurer.FrameOptionsConfig::deny)
                    .contentSecurityPolicy(
                        csp ->
                            csp.policyDirectives(
                                "default-src 'self'; img-src 'self' data:; style-src 'self';"
                                    + " form-action 'self'; frame-ancestors 'none'")));
    return http.build();
  }

  /** 401 for the API, whatever it accepts; the login page for everything else. */
  private static AuthenticationEntryPoint entryPoint(PathPatternRequestMatcher.Builder path) {
    LinkedHashMap<RequestMatcher, AuthenticationEntryPoint> entryPoints = new LinkedHashMap<>();
    entryPoints.put(path.matcher("/api/**"), new HttpStatusEntryPoint(HttpStatus.UNAUTHORIZED));
    DelegatingAuthenticationEntryPoint delegating =
        new DelegatingAuthenticationEntryPoint(entryPoints);
    delegating.setDefaultEntryPoint(new LoginUrlAuthenticationEntryPoint("/login"));
    return delegating;
  }
}
