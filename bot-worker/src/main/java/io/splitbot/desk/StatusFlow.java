package io.splitbot.desk;

import java.util.List;
import java.util.Map;

/** The request life cycle: {@code new → in_progress → done}, and {@code cancelled} from either open status. */
public final class StatusFlow {
  private static final Map<String, List<String>> NEXT = Map.of(
      "new", List.of("in_progress", "cancelled"),
      "in_progress", List.of("done", "cancelled"),
      "done", List.of(),
      "cancelled", List.of());

  private StatusFlow() {
  }

  /** The statuses a request in {@code from} may move to, in the order buttons show them. */
  public static List<String> next(String from) {
    return NEXT.getOrDefault(from, List.of());
  }

  public static boolean allowed(String from, String to) {
    return next(from).contains(to);
  }

  public static boolean isOpen(String status) {
    return !next(status).isEmpty();
  }
}
