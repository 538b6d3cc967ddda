package io.splitbot.shared.telegram;

/**
 * Told of every HTTP attempt {@link BotApiClient} makes, for metrics. {@code result} is {@code ok},
 * {@code rate_limited} (a 429), {@code server_error} (5xx), {@code client_error} (any other refusal) or
 * {@code network_error}. Runs on the client's threads: keep it cheap and non-blocking.
 */
@FunctionalInterface
public interface BotApiListener {
  BotApiListener NONE = (method, result, nanos) -> {
  };

  void onAttempt(String method, String result, long durationNanos);
}
