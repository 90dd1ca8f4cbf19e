package io.deltasync.e2e.app;

import java.math.BigDecimal;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The shop's own web API, which the tests call as the shop's users would. */
@RestController
public class ShopController {

  private final ShopMapper shop;

  public ShopController(ShopMapper shop) {
    this.shop = shop;
  }

  @PostMapping("/shop/notes/{id}")
  int addNote(@PathVariable long id, @RequestParam String title, @RequestParam String by) {
    return shop.addNote(id, title, by);
  }

  @PostMapping("/shop/notes/{id}/body")
  int editNote(@PathVariable long id, @RequestParam String body, @RequestParam String by) {
    return shop.editNote(id, body, by);
  }

  @PostMapping("/shop/items/{id}")
  int addItem(
      @PathVariable long id,
      @RequestParam String name,
      @RequestParam int qty,
      @RequestParam BigDecimal price) {
    return shop.addItem(id, name, qty, price);
  }

  @PostMapping("/shop/items/{id}/take")
  int takeItems(@PathVariable long id, @RequestParam int taken) {
    return shop.takeItems(id, taken);
  }

  @PostMapping("/shop/settings/{name}")
  int addSetting(@PathVariable String name, @RequestParam String value) {
    return shop.addSetting(name, value);
  }
}
