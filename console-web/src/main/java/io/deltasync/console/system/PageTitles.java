package io.deltasync.console.system;

import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * Gives every page of the console a title of its own ({@code pageTitle}, used by the layout), so
 * that browser tabs, history and screen readers tell the pages apart.
 */
@ControllerAdvice
class PageTitles {

  private static final String PRODUCT = "DeltaSync console";
  private static final Map<Pattern, String> TITLES = new LinkedHashMap<>();

  static {
    TITLES.put(Pattern.compile("/(nodes)?"), "Nodes");
    TITLES.put(Pattern.compile("/deltas"), "Deltas");
    TITLES.put(Pattern.compile("/deltas/(\\d+)"), "Delta %s");
    TITLES.put(Pattern.compile("/conflicts"), "Conflicts");
    TITLES.put(Pattern.compile("/conflicts/(\\d+)"), "Conflict %s");
    TITLES.put(Pattern.compile("/dead-letters"), "Dead letters");
    TITLES.put(Pattern.compile("/audit"), "Audit");
    TITLES.put(Pattern.compile("/actions/resend"), "Re-send");
    TITLES.put(Pattern.compile("/actions/shipping"), "Pause or resume shipping");
    TITLES.put(Pattern.compile("/actions/purge"), "Purge deltas");
    TITLES.put(Pattern.compile("/actions/reload"), "Reload a node");
    TITLES.put(Pattern.compile("/actions/dead-letters"), "Retry or skip dead letters");
    TITLES.put(Pattern.compile("/actions/conflicts/(\\d+)/resolve"), "Resolve conflict %s");
  }

  @ModelAttribute("pageTitle")
  String pageTitle(HttpServletRequest request) {
    String path = request.getRequestURI().substring(request.getContextPath().length());
    for (Map.Entry<Pattern, String> title : TITLES.entrySet()) {
      Matcher matcher = title.getKey().matcher(path);
      if (matcher.matches()) {
        String name =
            matcher.groupCount() > 0 && matcher.group(1) != null && title.getValue().contains("%s")
                ? title.getValue().formatted(matcher.group(1))
                : title.getValue();
        return name + " · " + PRODUCT;
      }
    }
    return PRODUCT;
  }
}
