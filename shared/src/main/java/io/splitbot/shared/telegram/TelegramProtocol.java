package io.splitbot.shared.telegram;

import io.splitbot.shared.http.ApiCallException;
import io.splitbot.shared.http.ApiProtocol;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The Bot API as {@link io.splitbot.shared.http.RetryingApiCalls} speaks it: {@code POST {base}/bot{token}/{method}}
 * with a JSON body, answers {@code {ok, result}} or {@code {ok:false, error_code, description, parameters.retry_after}}.
 */
final class TelegramProtocol extends ApiProtocol {
  private static final Map<String, String> HEADERS = Map.of("Content-Type", "application/json", "User-Agent", "splitbot");
  /** Methods that set a value to the same thing again: sending them twice changes nothing. */
  private static final Set<String> REPEATABLE = Set.of(
      "setWebhook", "deleteWebhook", "setMyCommands", "deleteMyCommands", "setMyName", "setMyDescription",
      "setMyShortDescription", "setChatMenuButton", "setMyDefaultAdministratorRights", "logOut", "close");

  private final String methodBase;

  /** {@code methodBase} is {@code {apiUrl}/bot{token}/}. */
  TelegramProtocol(String token, String methodBase) {
    super("Bot API", token);
    this.methodBase = methodBase;
  }

  @Override
  public Request request(String method, JsonObject params) {
    long pollSeconds = params.getValue("timeout") instanceof Number n ? n.longValue() : 0;
    long timeoutMs = method.equals("getUpdates") ? pollSeconds * 1000 + LONG_POLL_MARGIN_MS : REQUEST_TIMEOUT_MS;
    return new Request(HttpMethod.POST, methodBase + method, HEADERS, params.toBuffer(), timeoutMs);
  }

  @Override
  public Answer read(String method, int status, String statusMessage, Function<String, String> header, Buffer body) {
    JsonObject answer = jsonObject(body);
    if (answer != null && Boolean.TRUE.equals(answer.getValue("ok"))) {
      return Answer.success(answer.getValue("result"));
    }
    int code = answer != null && answer.getValue("error_code") instanceof Number n ? n.intValue() : status;
    String description = answer != null && answer.getValue("description") instanceof String s
        ? s
        : "HTTP " + status + " " + statusMessage;
    boolean telegramSaidNo = answer != null && Boolean.FALSE.equals(answer.getValue("ok"));
    return Answer.refusal(status, code, description, Math.max(0, retryAfter(answer, header)), telegramSaidNo, answer);
  }

  /** Methods that post into a chat count against the flood limits. */
  @Override
  public boolean throttled(String method) {
    return (method.startsWith("send") && !method.equals("sendChatAction"))
        || method.startsWith("editMessage")
        || method.startsWith("copyMessage")
        || method.startsWith("forwardMessage");
  }

  @Override
  public String chatKey(String method, JsonObject params) {
    Object chatId = params.getValue("chat_id");
    return chatId == null ? null : chatId.toString();
  }

  /** Methods that only read, or set a value to the same thing again. */
  @Override
  public boolean repeatable(String method) {
    return method.startsWith("get") || REPEATABLE.contains(method);
  }

  @Override
  public ApiCallException refused(String method, int code, String description, int retryAfterSeconds, JsonObject body) {
    return new BotApiException(method, code, description, retryAfterSeconds);
  }

  @Override
  public ApiCallException failed(String method, String description) {
    return new BotApiException(method, 0, description, 0);
  }

  @Override
  public ApiCallException rateLimited(String method, String description, int retryAfterSeconds) {
    return new BotApiException.RateLimited(method, description, retryAfterSeconds);
  }

  @Override
  public ApiCallException unanswered(String method, String description) {
    return new BotApiException.Unanswered(method, description);
  }


  /** {@code parameters.retry_after}, else a numeric Retry-After header, else 0 (Telegram's 429s always say). */
  private static int retryAfter(JsonObject answer, Function<String, String> header) {
    if (answer != null && answer.getValue("parameters") instanceof JsonObject parameters
        && parameters.getValue("retry_after") instanceof Number n) {
      return n.intValue();
    }
    String value = header.apply("Retry-After");
    if (value != null) {
      try {
        return Integer.parseInt(value.trim());
      } catch (NumberFormatException ignored) {
        // An HTTP date: fall back to the default wait.
      }
    }
    return 0;
  }
}
