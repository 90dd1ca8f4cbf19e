package io.deltasync.console.system;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** The login page; Spring Security handles the form's POST and logout. */
@Controller
class LoginController {

  static final String VIEW_LOGIN = "login";

  @GetMapping("/login")
  String login() {
    return VIEW_LOGIN;
  }
}
