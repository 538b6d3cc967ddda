package io.splitbot.shared.platform.max;

import io.splitbot.shared.http.ApiCallException;
import io.splitbot.shared.http.ApiProtocol;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The MAX API as {@link io.splitbot.shared.http.RetryingApiCalls} speaks it: {@code <VERB> {base}{path}?{query}} with
 * the token in the Authorization header and a JSON body; answers are the result object, {@code {success:false,
 * message}} for a refused action, or on an error status {@code {code, message}}. MAX counts every request against its
 * 30 per second, and gives no wait with a 429 (a Retry-After header is honoured should it come).
 */
final class MaxProtocol extends ApiProtocol {
  /** MAX's own default when GET /updates names no timeout. */
  private static final long DEFAULT_POLL_SECONDS = 30;
  /** A path segment that is not a resource name (those are lowercase words). */
  private static final Pattern ID_SEGMENT = Pattern.compile("/(?![a-z_]+(/|$))[^/]+");

  private final String token;
  private final String base;
  private final long requestTimeoutMs;

  MaxProtocol(String token, String base, long requestTimeoutMs) {
    super("MAX API", token);
    this.token = token;
    this.base = base;
    this.requestTimeoutMs = requestTimeoutMs;
  }

  @Override
  public Request request(String method, JsonObject params) {
    MaxCall call = MaxCall.parse(method, params);
    boolean bodiless = call.verb().equals(HttpMethod.GET) || call.verb().equals(HttpMethod.DELETE);
    Buffer body = bodiless && call.body().isEmpty() ? null : call.body().toBuffer();
    Map<String, String> headers = body == null
        ? Map.of("Authorization", token, "User-Agent", "splitbot")
        : Map.of("Authorization", token, "User-Agent", "splitbot", "Content-Type", "application/json");
    long timeoutMs = requestTimeoutMs;
    if (call.is(HttpMethod.GET, "/updates")) {
      long pollSeconds = call.query().getValue("timeout") instanceof Number n ? n.longValue() : DEFAULT_POLL_SECONDS;
      timeoutMs = pollSeconds * 1000 + LONG_POLL_MARGIN_MS;
    }
    return new Request(call.verb(), call.uri(base), headers, body, timeoutMs);
  }

  @Override
  public Answer read(String method, int status, String statusMessage, Function<String, String> header, Buffer body) {
    JsonObject json = jsonObject(body);
    if (status >= 200 && status < 300) {
      if (body == null || body.length() == 0) {
        return Answer.success(new JsonObject());
      }
      if (json == null) {
        return Answer.refusal(status, status, "the answer is not a JSON object", -1, false, null);
      }
      if (Boolean.FALSE.equals(json.getValue("success"))) {
        String message = json.getValue("message") instanceof String s ? s : "MAX answered success: false";
        return Answer.refusal(status, status, message, -1, true, json);
      }
      return Answer.success(json);
    }
    boolean maxSaidSo = json != null && (json.getValue("code") instanceof String || json.getValue("message") instanceof String);
    String description = json != null && json.getValue("message") instanceof String s
        ? s
        : "HTTP " + status + " " + statusMessage;
    return Answer.refusal(status, status, description, retryAfter(header), maxSaidSo, json);
  }

  /** Ids in the path ({@code /chats/-1001/members}, {@code /messages/mid.1}) become {@code {id}}, one name per endpoint. */
  @Override
  public String metricName(String method) {
    return ID_SEGMENT.matcher(method).replaceAll("/{id}");
  }

  /** MAX's limit is on requests of any kind. */
  @Override
  public boolean throttled(String method) {
    return true;
  }

  /** New messages keep their order per recipient; other calls name no chat. */
  @Override
  public String chatKey(String method, JsonObject params) {
    if (!"POST /messages".equals(method) || !(params.getValue("query") instanceof JsonObject query)) {
      return null;
    }
    Object chatId = query.getValue("chat_id");
    Object userId = query.getValue("user_id");
    return chatId != null ? chatId.toString() : userId != null ? "user:" + userId : null;
  }

  /** Reads, edits and deletes leave the same state when sent twice, and so does setting the same subscription. */
  @Override
  public boolean repeatable(String method) {
    return method.startsWith("GET ") || method.startsWith("PUT ") || method.startsWith("DELETE ")
        || method.equals("POST /subscriptions");
  }

  @Override
  public ApiCallException refused(String method, int code, String description, int retryAfterSeconds, JsonObject body) {
    String key = body != null && body.getValue("code") instanceof String s ? s : null;
    return new MaxApiException(method, code, key, description, retryAfterSeconds);
  }

  @Override
  public ApiCallException failed(String method, String description) {
    return new MaxApiException(method, 0, null, description, 0);
  }

  @Override
  public ApiCallException rateLimited(String method, String description, int retryAfterSeconds) {
    return new MaxApiException.RateLimited(method, description, retryAfterSeconds);
  }

  @Override
  public ApiCallException unanswered(String method, String description) {
    return new MaxApiException.Unanswered(method, description);
  }


  /** A numeric Retry-After header; -1 when there is none, as MAX's 429s come (back off instead). */
  private static int retryAfter(Function<String, String> header) {
    String value = header.apply("Retry-After");
    if (value != null) {
      try {
        return Math.max(0, Integer.parseInt(value.trim()));
      } catch (NumberFormatException ignored) {
        // An HTTP date: back off instead.
      }
    }
    return -1;
  }
}
