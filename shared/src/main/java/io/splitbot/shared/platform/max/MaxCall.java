package io.splitbot.shared.platform.max;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * One MAX call as a handler writes it, checked against MAX's documented rules before anything is sent: the method is
 * {@code "<VERB> <path>"} ({@code "POST /messages"}), the params {@code {"query": {...}, "body": {...}}} (both
 * optional), a message text is at most {@value #TEXT_LIMIT} characters, and a new message goes to a chat_id or a
 * user_id, not both.
 */
record MaxCall(HttpMethod verb, String path, JsonObject query, JsonObject body) {
  static final int TEXT_LIMIT = 4000;
  private static final Set<HttpMethod> VERBS = Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH,
      HttpMethod.DELETE);
  private static final Pattern PATH = Pattern.compile("/[A-Za-z0-9._~%:@/-]*");

  /** The call, or {@link MaxApiException.NotSent} saying which rule {@code method} or {@code params} breaks. */
  static MaxCall parse(String method, JsonObject params) {
    if (method == null) {
      throw new MaxApiException.NotSent("(none)", "the method is required, as '<VERB> /path', e.g. 'POST /messages'");
    }
    int space = method.indexOf(' ');
    HttpMethod verb = space <= 0 ? null : verb(method.substring(0, space));
    String path = space <= 0 ? "" : method.substring(space + 1);
    if (verb == null || !VERBS.contains(verb) || !PATH.matcher(path).matches()) {
      throw new MaxApiException.NotSent(method, "the method must be '<VERB> /path' with VERB one of GET, POST, PUT, "
          + "PATCH, DELETE, e.g. 'POST /messages'; query parameters go in params.query");
    }
    JsonObject all = params == null ? new JsonObject() : params;
    for (String key : all.fieldNames()) {
      if (!key.equals("query") && !key.equals("body")) {
        throw new MaxApiException.NotSent(method, "params may hold only 'query' and 'body', got '" + key + "'");
      }
    }
    JsonObject query = object(method, all, "query");
    JsonObject body = object(method, all, "body");
    for (Map.Entry<String, Object> entry : query) {
      Object value = entry.getValue();
      if (!(value == null || value instanceof String || value instanceof Number || value instanceof Boolean
          || value instanceof JsonArray)) {
        throw new MaxApiException.NotSent(method, "query." + entry.getKey() + " must be a string, number, boolean or list");
      }
    }
    MaxCall call = new MaxCall(verb, path, query, body);
    call.checkText(method);
    call.checkRecipient(method);
    return call;
  }

  /** {@code base} + path + the query, each value URL-encoded, lists as MAX reads them ({@code types=a,b}). */
  String uri(String base) {
    StringJoiner pairs = new StringJoiner("&");
    for (Map.Entry<String, Object> entry : query) {
      if (entry.getValue() != null) {
        pairs.add(encode(entry.getKey()) + "=" + encode(text(entry.getValue())));
      }
    }
    return base + path + (pairs.length() == 0 ? "" : "?" + pairs);
  }

  boolean is(HttpMethod verb, String path) {
    return this.verb.equals(verb) && this.path.equals(path);
  }

  private void checkText(String method) {
    checkLength(method, "text", body.getValue("text"));
    if (body.getValue("message") instanceof JsonObject message) {
      checkLength(method, "message.text", message.getValue("text")); // POST /answers carries the new message
    }
  }

  /** Counted in code points, which is never more than MAX counts, so a text MAX would take is never refused here. */
  private static void checkLength(String method, String field, Object text) {
    if (text instanceof String s) {
      int length = s.codePointCount(0, s.length());
      if (length > TEXT_LIMIT) {
        throw new MaxApiException.NotSent(method, field + " is " + length + " characters; MAX allows at most "
            + TEXT_LIMIT + " in a message");
      }
    }
  }

  private void checkRecipient(String method) {
    if (is(HttpMethod.POST, "/messages") && (query.getValue("chat_id") == null) == (query.getValue("user_id") == null)) {
      throw new MaxApiException.NotSent(method, "a new message needs exactly one of query.chat_id and query.user_id");
    }
  }

  private static HttpMethod verb(String name) {
    try {
      return HttpMethod.valueOf(name);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static JsonObject object(String method, JsonObject params, String key) {
    Object value = params.getValue(key);
    if (value == null) {
      return new JsonObject();
    }
    if (value instanceof JsonObject object) {
      return object;
    }
    throw new MaxApiException.NotSent(method, "params." + key + " must be a JSON object");
  }

  private static String text(Object value) {
    if (value instanceof JsonArray list) {
      StringJoiner joined = new StringJoiner(",");
      list.forEach(item -> joined.add(String.valueOf(item)));
      return joined.toString();
    }
    return String.valueOf(value);
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("%2C", ",");
  }
}
