package io.splitbot.shared.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.function.Function;

/**
 * How one platform's HTTP API is spoken, for {@link RetryingApiCalls}: how a call becomes a request, what an answer
 * means, which calls count against its limits or are safe to repeat, and the exceptions its callers catch. Everything
 * else (the attempt loop, waits, throttling, masking) is the same for every platform.
 */
public abstract class ApiProtocol {
  /** How long one attempt may wait for its answer. */
  public static final long REQUEST_TIMEOUT_MS = 30_000;
  /** A long poll's answer may come this long after the poll's own timeout. */
  public static final long LONG_POLL_MARGIN_MS = 15_000;

  private final String label;
  private final String secret;

  /**
   * @param label the API's name in log lines and exception messages, e.g. {@code Bot API}
   * @param secret what must never appear in a log line or an exception message (the token)
   */
  protected ApiProtocol(String label, String secret) {
    this.label = label;
    this.secret = secret;
  }

  public final String label() {
    return label;
  }

  public final String secret() {
    return secret;
  }

  /** The HTTP request for one attempt at {@code method}; built again for each attempt. */
  public abstract Request request(String method, JsonObject params);

  /**
   * What one answer says. {@code body} is the whole body (possibly empty); {@code header} reads a response header.
   */
  public abstract Answer read(String method, int status, String statusMessage, Function<String, String> header, Buffer body);

  /** The method as metrics name it: the same for every call of one endpoint, whatever ids it names. */
  public String metricName(String method) {
    return method;
  }

  /** Whether the call counts against the platform's rate limits ({@link OutgoingThrottle}). */
  public abstract boolean throttled(String method);

  /** The chat a throttled call posts into (its calls keep their order), or null for none. */
  public abstract String chatKey(String method, JsonObject params);

  /** Whether sending the call twice changes nothing (reads, setting a value), so a lost answer may be resent. */
  public abstract boolean repeatable(String method);

  /** A final error from an answer; {@code body} is the parsed answer or null. */
  public abstract ApiCallException refused(String method, int code, String description, int retryAfterSeconds, JsonObject body);

  /** A failure without an answer (error code 0): a network error, a closed client, a request never sent. */
  public abstract ApiCallException failed(String method, String description);

  /** The platform asked for a wait longer than the client holds a call (a {@code RetryLater}). */
  public abstract ApiCallException rateLimited(String method, String description, int retryAfterSeconds);

  /** The request left and no answer came: it may have been carried out (an {@code OutcomeUnknown}). */
  public abstract ApiCallException unanswered(String method, String description);

  /** The body as a JSON object, or null when it is empty, not JSON (a proxy's error page) or not an object. */
  protected static JsonObject jsonObject(Buffer body) {
    if (body == null || body.length() == 0) {
      return null;
    }
    try {
      return new JsonObject(body);
    } catch (DecodeException | ClassCastException e) {
      return null;
    }
  }

  /** One HTTP request: {@code body} null sends none; {@code timeoutMs} is the idle timeout of the attempt. */
  public record Request(HttpMethod httpMethod, String uri, Map<String, String> headers, Buffer body, long timeoutMs) {
  }

  /**
   * What an answer says: a result, or a refusal with the platform's {@code code} (its error code, else the HTTP
   * {@code status}), a description, the wait it asked for ({@code retryAfterSeconds}, -1 when it gave no hint) and
   * whether the body is the platform's own error ({@code fromPlatform}: a 5xx it sent means it did not act; a 5xx
   * from a proxy in front of it may hide a request that was carried out).
   */
  public record Answer(boolean ok, Object result, int status, int code, String description, int retryAfterSeconds,
      boolean fromPlatform, JsonObject body) {

    public static Answer success(Object result) {
      return new Answer(true, result, 200, 0, null, -1, true, null);
    }

    public static Answer refusal(int status, int code, String description, int retryAfterSeconds, boolean fromPlatform,
        JsonObject body) {
      return new Answer(false, null, status, code, description, retryAfterSeconds, fromPlatform, body);
    }

    boolean rateLimited() {
      return code == 429 || status == 429;
    }

    boolean serverError() {
      return status >= 500 || code >= 500;
    }
  }
}
