package io.deltasync.e2e.support;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A client node's shop application as its users reach it: each call is one request to the shop's
 * web API, which runs one MyBatis mapper statement in its own transaction, captured by DeltaSync.
 */
public final class Shop {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final AppProcess app;

  Shop(AppProcess app) {
    this.app = app;
  }

  public void addNote(long id, String title) {
    post("/shop/notes/" + id, Map.of("title", title, "by", app.name()));
  }

  public void editNote(long id, String body) {
    post("/shop/notes/" + id + "/body", Map.of("body", body, "by", app.name()));
  }

  public void addItem(long id, String name, int qty, BigDecimal price) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("name", name);
    form.put("qty", String.valueOf(qty));
    form.put("price", price.toPlainString());
    post("/shop/items/" + id, form);
  }

  public void takeItems(long id, int taken) {
    post("/shop/items/" + id + "/take", Map.of("taken", String.valueOf(taken)));
  }

  /** A setting of this installation only: the hub does not replicate {@code local_setting}. */
  public void addSetting(String name, String value) {
    post("/shop/settings/" + name, Map.of("value", value));
  }

  private void post(String path, Map<String, String> form) {
    String body =
        form.entrySet().stream()
            .map(
                e ->
                    URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                        + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    try {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(app.url() + path))
                  .timeout(Duration.ofSeconds(30))
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200 || !response.body().trim().equals("1")) {
        throw new IllegalStateException(
            app.name()
                + " "
                + path
                + " answered "
                + response.statusCode()
                + ": "
                + response.body());
      }
    } catch (IOException e) {
      throw new IllegalStateException(app.name() + " " + path + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
