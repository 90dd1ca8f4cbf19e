package io.deltasync.console.support;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A user agent for the console over real HTTP: keeps its session cookie, does not follow redirects,
 * and remembers the CSRF token of the last page it loaded, which {@link #post} sends like a form
 * would.
 */
public final class Browser {

  private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

  private final String base;
  private final HttpClient http;
  private String csrf;

  public Browser(int port) {
    this.base = "http://localhost:" + port;
    this.http =
        HttpClient.newBuilder()
            .cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
  }

  /** A browser logged in as the user (asserting nothing about the outcome). */
  public static Browser loggedIn(int port, String user, String password) {
    Browser browser = new Browser(port);
    browser.login(user, password);
    return browser;
  }

  /** Loads the login page and posts the form; answers the login POST's response. */
  public HttpResponse<String> login(String user, String password) {
    get("/login");
    return post("/login", Map.of("username", user, "password", password));
  }

  /** GETs a path, remembering the page's CSRF token when it has one. */
  public HttpResponse<String> get(String path) {
    HttpResponse<String> response = send(HttpRequest.newBuilder(uri(path)).GET());
    Matcher token = CSRF.matcher(response.body());
    if (token.find()) {
      csrf = token.group(1);
    }
    return response;
  }

  /** POSTs a form with the remembered CSRF token. */
  public HttpResponse<String> post(String path, Map<String, String> form) {
    Map<String, String> fields = new LinkedHashMap<>(form);
    if (csrf != null) {
      fields.put("_csrf", csrf);
    }
    return postWithout(path, fields);
  }

  /** POSTs a form exactly as given, with no CSRF token unless the form holds one. */
  public HttpResponse<String> postWithout(String path, Map<String, String> form) {
    String body =
        form.entrySet().stream()
            .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
            .collect(Collectors.joining("&"));
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  /** POSTs JSON to the API with the remembered CSRF token as {@code X-CSRF-TOKEN}. */
  public HttpResponse<String> postJson(String path, String json) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json));
    if (csrf != null) {
      request.header("X-CSRF-TOKEN", csrf);
    }
    return send(request);
  }

  /** POSTs JSON to the API without a CSRF token. */
  public HttpResponse<String> postJsonWithoutToken(String path, String json) {
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(
          request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException("could not reach " + base + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private URI uri(String path) {
    return URI.create(base + path);
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}
