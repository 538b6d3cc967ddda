package io.splitbot.worker.storage.airtable;

import io.splitbot.shared.log.Redactor;
import io.splitbot.worker.storage.StorageConfig;
import io.splitbot.worker.storage.StorageException;
import io.splitbot.worker.storage.StorageUnavailableException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Airtable REST calls the storage needs, with Airtable's rules built in: bearer token, {@code pageSize} of at
 * most 100 with {@code offset} paging, at most 10 records per write, the per-base limiter, a wait after 429,
 * bounded retries on 5xx and network errors, and error bodies turned into clear exceptions.
 */
public final class AirtableClient {
  private static final Logger log = LoggerFactory.getLogger(AirtableClient.class);
  public static final int MAX_PAGE_SIZE = 100;
  public static final int MAX_RECORDS_PER_WRITE = 10;

  private final Vertx vertx;
  private final StorageConfig.Airtable config;
  private final WebClient http;
  private final AirtableRateLimiter limiter;

  public AirtableClient(Vertx vertx, StorageConfig.Airtable config) {
    this.vertx = vertx;
    this.config = config;
    this.http = WebClient.create(vertx, new WebClientOptions()
        .setUserAgent("splitbot-worker")
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, config.timeoutMs()))
        .setKeepAlive(true));
    this.limiter = AirtableRateLimiter.forBase(config.apiUrl(), config.baseId(), config.ratePerSecond());
  }

  public void close() {
    http.close();
  }

  private String url(String table) {
    return config.apiUrl() + "/v0/" + enc(config.baseId()) + "/" + enc(table);
  }

  private static String enc(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** Options of a list call. */
  public record ListQuery(String filterByFormula, List<String[]> sort, List<String> fields, Integer maxRecords) {
    public static ListQuery all() {
      return new ListQuery(null, List.of(), List.of(), null);
    }

    public static ListQuery filter(String formula) {
      return new ListQuery(formula, List.of(), List.of(), null);
    }

    public ListQuery sortedBy(String field, String direction) {
      List<String[]> s = new ArrayList<>(sort);
      s.add(new String[] {field, direction});
      return new ListQuery(filterByFormula, s, fields, maxRecords);
    }

    public ListQuery onlyFields(List<String> names) {
      return new ListQuery(filterByFormula, sort, names, maxRecords);
    }

    public ListQuery max(int n) {
      return new ListQuery(filterByFormula, sort, fields, n);
    }
  }

  /** Every record matching the query, following {@code offset} until the last page. */
  public Future<List<JsonObject>> list(String table, ListQuery q) {
    List<JsonObject> out = new ArrayList<>();
    return listFrom(table, q, null, out).map(v -> out);
  }

  private Future<Void> listFrom(String table, ListQuery q, String offset, List<JsonObject> out) {
    int pageSize = q.maxRecords() == null ? MAX_PAGE_SIZE : Math.min(MAX_PAGE_SIZE, Math.max(1, q.maxRecords()));
    return call(HttpMethod.GET, table, "list records of " + table, req -> {
      req.addQueryParam("pageSize", Integer.toString(pageSize));
      if (offset != null) {
        req.addQueryParam("offset", offset);
      }
      if (q.filterByFormula() != null) {
        req.addQueryParam("filterByFormula", q.filterByFormula());
      }
      if (q.maxRecords() != null) {
        req.addQueryParam("maxRecords", Integer.toString(q.maxRecords()));
      }
      for (int i = 0; i < q.sort().size(); i++) {
        req.addQueryParam("sort[" + i + "][field]", q.sort().get(i)[0]);
        req.addQueryParam("sort[" + i + "][direction]", q.sort().get(i)[1]);
      }
      for (String f : q.fields()) {
        req.addQueryParam("fields[]", f);
      }
    }, null).compose(body -> {
      JsonArray records = body.getJsonArray("records", new JsonArray());
      for (int i = 0; i < records.size(); i++) {
        out.add(records.getJsonObject(i));
      }
      String next = body.getString("offset");
      if (next == null || (q.maxRecords() != null && out.size() >= q.maxRecords())) {
        return Future.succeededFuture();
      }
      return listFrom(table, q, next, out);
    });
  }

  /** Creates records, 10 per request; returns the created records (with ids) in order. */
  public Future<List<JsonObject>> create(String table, List<JsonObject> fieldsList) {
    return inBatches(fieldsList, batch -> {
      JsonArray records = new JsonArray();
      batch.forEach(f -> records.add(new JsonObject().put("fields", f)));
      return call(HttpMethod.POST, table, "create records in " + table, r -> { },
          new JsonObject().put("records", records).put("typecast", true));
    });
  }

  /** Upserts records on the merge fields ({@code performUpsert.fieldsToMergeOn}), 10 per request. */
  public Future<List<JsonObject>> upsert(String table, List<JsonObject> fieldsList, List<String> mergeOn) {
    return inBatches(fieldsList, batch -> {
      JsonArray records = new JsonArray();
      batch.forEach(f -> records.add(new JsonObject().put("fields", f)));
      JsonObject body = new JsonObject()
          .put("performUpsert", new JsonObject().put("fieldsToMergeOn", new JsonArray(mergeOn)))
          .put("records", records)
          .put("typecast", true);
      return call(HttpMethod.PATCH, table, "upsert records in " + table, r -> { }, body);
    });
  }

  /** Changes fields of records by record id ({@code {"id", "fields"}} each), 10 per request; other fields are kept. */
  public Future<List<JsonObject>> update(String table, List<JsonObject> records) {
    return inBatches(records, batch -> call(HttpMethod.PATCH, table, "update records in " + table, r -> { },
        new JsonObject().put("records", new JsonArray(new ArrayList<>(batch))).put("typecast", true)));
  }

  /** Deletes records by record id, 10 per request. */
  public Future<Void> delete(String table, List<String> recordIds) {
    return inBatches(recordIds, batch -> call(HttpMethod.DELETE, table, "delete records in " + table, req -> {
      for (String id : batch) {
        req.addQueryParam("records[]", id);
      }
    }, null)).mapEmpty();
  }

  private <I> Future<List<JsonObject>> inBatches(List<I> items, java.util.function.Function<List<I>, Future<JsonObject>> send) {
    List<JsonObject> out = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < items.size(); i += MAX_RECORDS_PER_WRITE) {
      List<I> batch = items.subList(i, Math.min(items.size(), i + MAX_RECORDS_PER_WRITE));
      chain = chain.compose(v -> send.apply(batch).map(body -> {
        JsonArray recs = body.getJsonArray("records", new JsonArray());
        for (int j = 0; j < recs.size(); j++) {
          out.add(recs.getJsonObject(j));
        }
        return null;
      }));
    }
    return chain.map(v -> out);
  }

  // ------------------------------------------------------------------ one call, with limiter and retries

  private Future<JsonObject> call(HttpMethod method, String table, String what, Consumer<HttpRequest<Buffer>> customize,
      JsonObject body) {
    return attempt(method, table, what, customize, body, 0);
  }

  private Future<JsonObject> attempt(HttpMethod method, String table, String what,
      Consumer<HttpRequest<Buffer>> customize, JsonObject body, int attempt) {
    return limiter.acquire(vertx).compose(v -> {
      Future<HttpResponse<Buffer>> sent;
      try {
        HttpRequest<Buffer> req = http.requestAbs(method, url(table))
            .bearerTokenAuthentication(config.token())
            .putHeader("Accept", "application/json")
            .idleTimeout(config.timeoutMs());
        customize.accept(req);
        sent = body == null ? req.send() : req.sendJsonObject(body);
      } catch (RuntimeException e) {
        sent = Future.failedFuture(e);
      }
      return sent.transform(ar -> {
        limiter.finished();
        limiter.record(ar.succeeded() && reachable(ar.result().statusCode()));
        if (ar.failed()) {
          return retryOrFail(method, table, what, customize, body, attempt,
              new StorageUnavailableException("Airtable is unreachable: " + what + " failed ("
                  + Redactor.mask(String.valueOf(ar.cause().getMessage())) + ")", ar.cause()), backoff(attempt));
        }
        HttpResponse<Buffer> resp = ar.result();
        int status = resp.statusCode();
        if (status >= 200 && status < 300) {
          try {
            return Future.succeededFuture(resp.body() == null ? new JsonObject() : resp.bodyAsJsonObject());
          } catch (RuntimeException e) {
            return Future.failedFuture(new StorageException("Airtable: " + what + " answered " + status + " with a body that is not JSON"));
          }
        }
        if (status == 429) {
          limiter.pause(config.retryAfter429Ms());
          log.warn("Airtable rate limit hit (429) on {}; pausing every request to this base for {} ms", what,
              config.retryAfter429Ms());
          return retryOrFail(method, table, what, customize, body, attempt,
              new StorageUnavailableException("Airtable kept answering 429 (rate limit) to " + what + " after "
                  + (attempt + 1) + " attempt(s)"), 0);
        }
        AirtableException error = error(resp, what, table);
        if (status >= 500) {
          return retryOrFail(method, table, what, customize, body, attempt,
              new StorageUnavailableException(error.getMessage(), error), backoff(attempt));
        }
        return Future.failedFuture(error);
      });
    });
  }

  /**
   * The health probe: one list call of one record when the base's limiter has a start free with nobody waiting,
   * else what the base's latest call found (true before any), so a probe never queues behind real traffic nor
   * takes its place. No retries: the next probe is the retry.
   */
  public Future<Boolean> probe(String table) {
    if (!limiter.tryAcquire()) {
      Boolean last = limiter.lastReachable();
      return Future.succeededFuture(last == null || last);
    }
    return http.requestAbs(HttpMethod.GET, url(table))
        .bearerTokenAuthentication(config.token())
        .putHeader("Accept", "application/json")
        .addQueryParam("maxRecords", "1")
        .addQueryParam("pageSize", "1")
        .idleTimeout(config.timeoutMs())
        .send()
        .transform(ar -> {
          limiter.finished();
          int status = ar.succeeded() ? ar.result().statusCode() : 0;
          if (status == 429) {
            limiter.pause(config.retryAfter429Ms());
          }
          limiter.record(ar.succeeded() && reachable(status));
          return Future.succeededFuture(status / 100 == 2 || status == 429);
        });
  }

  /** Whether an answer shows the base up: a 429 is a busy base, not a down one; a refused token makes it unusable. */
  private static boolean reachable(int status) {
    return status < 500 && status != 401 && status != 403;
  }

  private Future<JsonObject> retryOrFail(HttpMethod method, String table, String what,
      Consumer<HttpRequest<Buffer>> customize, JsonObject body, int attempt, StorageException failure, long delayMs) {
    if (attempt >= config.maxRetries()) {
      return Future.failedFuture(failure);
    }
    log.debug("Airtable {}: retry {} after {} ms ({})", what, attempt + 1, delayMs, failure.getMessage());
    Future<Void> wait = delayMs > 0 ? vertx.timer(delayMs).mapEmpty() : Future.succeededFuture();
    return wait.compose(v -> attempt(method, table, what, customize, body, attempt + 1));
  }

  private static long backoff(int attempt) {
    return Math.min(8000, 250L << Math.min(attempt, 5));
  }

  /** {"error":{"type","message"}}, {"error":"TYPE"} or anything else, as one clear exception. */
  static AirtableException error(HttpResponse<Buffer> resp, String what, String table) {
    int status = resp.statusCode();
    String type = "UNKNOWN";
    String message = null;
    String raw = resp.body() == null ? "" : resp.bodyAsString();
    try {
      JsonObject json = new JsonObject(raw);
      Object e = json.getValue("error");
      if (e instanceof JsonObject o) {
        type = o.getString("type", type);
        message = o.getString("message");
      } else if (e instanceof String s) {
        type = s;
      } else if (json.getValue("errors") instanceof JsonArray arr && !arr.isEmpty() && arr.getValue(0) instanceof JsonObject first) {
        type = first.getString("error", type);
        message = first.getString("message");
      }
    } catch (RuntimeException notJson) {
      message = raw.length() > 200 ? raw.substring(0, 200) + "…" : raw;
    }
    StringBuilder b = new StringBuilder("Airtable: ").append(what).append(" failed with HTTP ").append(status)
        .append(' ').append(type);
    if (message != null && !message.isBlank()) {
      b.append(": ").append(message);
    }
    if (status == 401) {
      b.append(" (check AIRTABLE_TOKEN)");
    } else if (status == 403) {
      b.append(" (check AIRTABLE_TOKEN's scopes and its access to AIRTABLE_BASE_ID)");
    } else if (status == 404) {
      b.append(" (check AIRTABLE_BASE_ID and that table '").append(table).append("' exists)");
    }
    return new AirtableException(status, type, Redactor.mask(b.toString()));
  }
}
