package io.splitbot.desk.api;

import io.splitbot.shared.log.Redactor;
import io.splitbot.desk.Actor;
import io.splitbot.worker.bot.BotContext;
import io.splitbot.worker.bot.PlatformApi;
import io.splitbot.desk.Desk;
import io.splitbot.desk.DeskException;
import io.splitbot.desk.DeskService;
import io.splitbot.desk.i18n.Texts;
import io.splitbot.desk.notify.Outbox;
import io.splitbot.worker.storage.Page;
import io.splitbot.worker.storage.Storage;
import io.splitbot.worker.storage.consistency.RecordDiff;
import io.splitbot.worker.storage.dual.DualStorage;
import io.splitbot.desk.storage.DeskKinds;
import io.splitbot.desk.storage.DeskStorage;
import io.splitbot.desk.storage.ServiceRequest;
import io.splitbot.desk.storage.UserRef;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's internal REST API for other services (the legacy bot, admin tools): the same requests the bot
 * works on, through the same {@link DeskService}, so the same rules hold and the same people are notified, each on
 * their own platform. The user ids it takes are Telegram's, as the legacy bot's were.
 *
 * <p>Every route under {@code /api/v1/bot} and {@code /api/v1/internal} needs {@code Authorization: Bearer
 * <INTERNAL_API_TOKEN>}; {@code /api/v1/openapi.yaml} (the contract, from the jar's {@code api/openapi.yaml}) is
 * open. {@link #ENDPOINTS} is the single list the router is built from, and what the contract test compares with
 * the OpenAPI document.
 */
public final class InternalApi {
  private static final Logger log = LoggerFactory.getLogger(InternalApi.class);
  public static final String OPENAPI_PATH = "/api/v1/openapi.yaml";
  public static final String HEALTH_PATH = "/api/v1/internal/health";
  /** How often expired Idempotency-Key records are deleted. */
  static final long IDEMPOTENCY_SWEEP_MS = TimeUnit.HOURS.toMillis(1);
  static final int BODY_LIMIT = 64 * 1024;
  static final int DEFAULT_PAGE_SIZE = 20;
  static final int MAX_PAGE_SIZE = 100;
  /** Longer than any field searched. */
  static final int SEARCH_MAX = 200;

  /** One route, written as in the OpenAPI document ({@code {number}} for a path parameter). */
  public record Endpoint(HttpMethod method, String path) {
    String routerPath() {
      return path.replace("{number}", ":number");
    }
  }

  public static final List<Endpoint> ENDPOINTS = List.of(
      new Endpoint(HttpMethod.POST, "/api/v1/bot/requests/create"),
      new Endpoint(HttpMethod.GET, "/api/v1/bot/requests/search"),
      new Endpoint(HttpMethod.GET, "/api/v1/bot/requests/{number}"),
      new Endpoint(HttpMethod.PUT, "/api/v1/bot/requests/{number}/update"),
      new Endpoint(HttpMethod.POST, "/api/v1/bot/requests/{number}/comments"),
      new Endpoint(HttpMethod.PUT, "/api/v1/bot/requests/{number}/status"),
      new Endpoint(HttpMethod.POST, "/api/v1/bot/requests/{number}/assign"),
      new Endpoint(HttpMethod.POST, "/api/v1/bot/migration/sync"),
      new Endpoint(HttpMethod.POST, "/api/v1/bot/migration/validate"),
      new Endpoint(HttpMethod.POST, "/api/v1/bot/records"),
      new Endpoint(HttpMethod.GET, InternalApi.HEALTH_PATH),
      new Endpoint(HttpMethod.GET, OPENAPI_PATH));

  private final Desk desk;
  private final Storage storage;
  private final BotContext context;
  private final ApiReplies replies;
  private final RequestBodies bodies;
  private final Outbox outbox;
  private final Buffer openapi;
  private final IdempotencyKeys idempotency;
  private final BearerAuth auth;
  private final RecordsApi records;

  public InternalApi(BotContext context, Desk desk) {
    this.context = context;
    this.desk = desk;
    this.storage = context.storage();
    this.replies = new ApiReplies(desk.messages());
    this.bodies = new RequestBodies(desk.vocabulary(), desk.config().timeZone());
    this.outbox = outbox(context);
    this.openapi = Buffer.buffer(readResource("api/openapi.yaml"));
    this.idempotency = new IdempotencyKeys(storage, desk.service());
    this.auth = new BearerAuth(desk.config().internalApiToken(), replies);
    this.records = new RecordsApi(storage);
  }

  /** Mounts the routes on the worker's router. */
  public void mount(Router router) {
    BodyHandler body = BodyHandler.create(false).setBodyLimit(BODY_LIMIT);
    Map<Endpoint, Handler<RoutingContext>> handlers = Map.ofEntries(
        Map.entry(ENDPOINTS.get(0), this::create),
        Map.entry(ENDPOINTS.get(1), this::search),
        Map.entry(ENDPOINTS.get(2), this::get),
        Map.entry(ENDPOINTS.get(3), this::update),
        Map.entry(ENDPOINTS.get(4), this::comment),
        Map.entry(ENDPOINTS.get(5), this::status),
        Map.entry(ENDPOINTS.get(6), this::assign),
        Map.entry(ENDPOINTS.get(7), ctx -> migration(ctx, true)),
        Map.entry(ENDPOINTS.get(8), ctx -> migration(ctx, false)),
        Map.entry(ENDPOINTS.get(9), this::records),
        Map.entry(ENDPOINTS.get(10), this::health),
        Map.entry(ENDPOINTS.get(11), this::openapi));
    // in ENDPOINTS order: "search" is a fixed path and must come before "{number}"
    for (Endpoint e : ENDPOINTS) {
      var route = router.route(e.method(), e.routerPath());
      if (e.method() == HttpMethod.POST || e.method() == HttpMethod.PUT) {
        route.handler(body); // Vert.x wants the body read before any other handler (at most BODY_LIMIT bytes)
      }
      if (!e.path().equals(OPENAPI_PATH) && !e.path().equals(HEALTH_PATH)) {
        route.handler(auth);
      }
      route.handler(handlers.get(e)).failureHandler(this::failed);
    }
    sweepIdempotencyKeys();
    log.info("internal API on /api/v1 ({} routes; contract at {})", ENDPOINTS.size(), OPENAPI_PATH);
  }

  // ------------------------------------------------------------------ requests

  private void create(RoutingContext ctx) {
    String key = ctx.request().getHeader(IdempotencyKeys.HEADER);
    if (key != null && !IdempotencyKeys.valid(key)) {
      replies.error(ctx, DeskException.invalid(Map.of(IdempotencyKeys.HEADER,
          new DeskException.FieldError("api.idempotency_key", "max", IdempotencyKeys.KEY_MAX))));
      return;
    }
    run(ctx, json -> {
      RequestBodies.Create c = bodies.create(json);
      if (key == null) {
        return create(ctx, c, desk.service().transientReservation());
      }
      return idempotency.claim(key, IdempotencyKeys.fingerprint(json)).compose(claim -> answer(ctx, c, claim));
    });
  }

  /** What a create under an Idempotency-Key answers, by what the claim on the key found. */
  private Future<Reply> answer(RoutingContext ctx, RequestBodies.Create c, IdempotencyKeys.Claim claim) {
    if (claim instanceof IdempotencyKeys.Replay r) {
      ctx.response().putHeader("Idempotent-Replayed", "true");
      return Future.succeededFuture(new Reply(r.status(), r.body()));
    }
    if (claim instanceof IdempotencyKeys.Mismatch) {
      return Future.failedFuture(DeskException.invalid(Map.of(IdempotencyKeys.HEADER,
          new DeskException.FieldError("api.idempotency_reused"))));
    }
    if (claim instanceof IdempotencyKeys.Busy) {
      ctx.response().putHeader("Retry-After", "1");
      return Future.succeededFuture(new Reply(409, new JsonObject().put("success", false)
          .put("message", replies.texts(ctx).t("api.idempotency_busy"))));
    }
    IdempotencyKeys.Owned owned = (IdempotencyKeys.Owned) claim;
    return create(ctx, c, owned.reservation())
        .compose(reply -> idempotency.remember(owned, reply.status(), withSuccess(reply.body())).map(reply))
        .recover(e -> idempotency.release(owned).transform(ignored -> Future.failedFuture(e)));
  }

  private Future<Reply> create(RoutingContext ctx, RequestBodies.Create c, DeskService.Reservation reservation) {
    return desk.service().create(c.draft(), UserRef.telegram(c.userId()), reservation).map(r -> {
      background("new request " + r.number(), () -> desk.notifier().created(r, outbox));
      Texts t = replies.texts(ctx);
      return new Reply(201, answer(r, t.t("api.created", "number", r.number()), t));
    });
  }

  /** Expired Idempotency-Key records go, every hour, on every worker (each delete re-checks, so they may overlap). */
  private void sweepIdempotencyKeys() {
    context.vertx().setPeriodic(IDEMPOTENCY_SWEEP_MS, IDEMPOTENCY_SWEEP_MS, id -> idempotency.sweep()
        .onSuccess(n -> {
          if (n > 0) {
            log.info("deleted {} expired Idempotency-Key records", n);
          }
        })
        .onFailure(e -> log.warn("sweeping Idempotency-Key records failed: {}", Redactor.mask(String.valueOf(e.getMessage())))));
  }

  private void get(RoutingContext ctx) {
    String number = ctx.pathParam("number");
    Texts t = replies.texts(ctx);
    desk.service().get(number)
        .compose(r -> Future.all(desk.service().comments(number), desk.service().history(number)).map(all -> {
          JsonObject body = answer(r, t.t("api.found", "number", number), t);
          JsonArray comments = new JsonArray();
          all.<List<io.splitbot.desk.storage.Comment>>resultAt(0).forEach(c -> comments.add(new JsonObject()
              .put("id", c.id()).put("author_id", String.valueOf(c.authorId()))
              .put("author_platform", c.authorPlatform()).put("text", c.text())
              .put("created_at", io.splitbot.worker.storage.model.Values.format(c.createdAt()))));
          JsonArray history = new JsonArray();
          all.<List<io.splitbot.desk.storage.StatusChange>>resultAt(1).forEach(h -> history.add(new JsonObject()
              .put("from_status", h.fromStatus()).put("to_status", h.toStatus())
              .put("changed_by", String.valueOf(h.changedBy()))
              .put("changed_at", io.splitbot.worker.storage.model.Values.format(h.changedAt()))));
          body.getJsonObject("request").put("comments", comments).put("status_history", history);
          return body;
        }))
        .onSuccess(body -> replies.ok(ctx, 200, body))
        .onFailure(e -> replies.error(ctx, e));
  }

  private void update(RoutingContext ctx) {
    String number = ctx.pathParam("number");
    run(ctx, json -> {
      Map<String, Object> changes = bodies.update(json);
      Actor actor = Actor.system(bodies.actor(json));
      return desk.service().update(number, changes, actor).map(r -> {
        background("update of " + number, () -> desk.notifier().updated(r, actor, outbox));
        Texts t = replies.texts(ctx);
        return new Reply(200, answer(r, t.t("api.updated", "number", number), t));
      });
    });
  }

  private void comment(RoutingContext ctx) {
    String number = ctx.pathParam("number");
    run(ctx, json -> {
      String text = bodies.commentText(json);
      Actor author = Actor.system(bodies.actor(json));
      return desk.service().comment(number, author, text, java.util.UUID.randomUUID().toString()).map(r -> {
        background("comment on " + number, () -> desk.notifier().commented(r, author, outbox));
        Texts t = replies.texts(ctx);
        JsonObject body = answer(r.request(), t.t("api.comment_added", "number", number), t)
            .put("comment_id", r.comment().id());
        return new Reply(201, body);
      });
    });
  }

  private void status(RoutingContext ctx) {
    String number = ctx.pathParam("number");
    run(ctx, json -> {
      RequestBodies.StatusBody to = bodies.status(json);
      Actor actor = Actor.system(bodies.actor(json));
      return desk.service().changeStatus(number, null, to.code(), actor, false).compose(r -> {
        // the comment goes with the change, so a repeated PUT (nothing changed) does not add it twice
        Future<?> comment = to.comment() == null || !r.changed() ? Future.succeededFuture()
            : desk.service().comment(number, actor, to.comment(), java.util.UUID.randomUUID().toString());
        return comment.map(ignored -> {
          background("status of " + number, () -> desk.notifier().statusChanged(r, actor, outbox));
          Texts t = replies.texts(ctx);
          String message = t.t(r.changed() ? "api.status_changed" : "api.status_same", "number", number, "status", t.status(to.code()));
          return new Reply(200, answer(r.request(), message, t).put("new_status", to.asWritten())
              .put("previous_status", r.from()).put("changed", r.changed()));
        });
      });
    });
  }

  private void assign(RoutingContext ctx) {
    String number = ctx.pathParam("number");
    run(ctx, json -> {
      UserRef executor = UserRef.telegram(bodies.executor(json));
      Actor actor = Actor.system(bodies.actor(json));
      return desk.service().assign(number, executor, actor, false).compose(r -> desk.profiles().displayName(executor.platform(), executor.id()).map(name -> {
        background("assignment of " + number, () -> desk.notifier().assigned(r, actor, outbox));
        Texts t = replies.texts(ctx);
        String message = t.t(r.changed() ? "api.assigned" : "api.assigned_same", "number", number, "executor", name);
        return new Reply(200, answer(r.request(), message, t).put("changed", r.changed()));
      }));
    });
  }

  private void search(RoutingContext ctx) {
    Texts t = replies.texts(ctx);
    Map<String, DeskException.FieldError> errors = new java.util.LinkedHashMap<>();
    String q = ctx.queryParams().get("q");
    if (q != null && (q.length() > SEARCH_MAX || !io.splitbot.desk.RequestFields.characters(q, false).ok())) {
      errors.put("q", new DeskException.FieldError("error.search", "max", SEARCH_MAX));
    }
    String statusParam = ctx.queryParams().get("status");
    String status = null;
    if (statusParam != null && !statusParam.isBlank()) {
      status = desk.vocabulary().code(io.splitbot.desk.Vocabulary.Field.STATUS, statusParam).orElse(null);
      if (status == null) {
        errors.put("status", new DeskException.FieldError("error.one_of", "values", String.join(", ", ServiceRequest.STATUSES)));
      }
    }
    int page = intParam(ctx, "page", 1, 1, 1_000_000, errors);
    int size = intParam(ctx, "size", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE, errors);
    if (!errors.isEmpty()) {
      replies.error(ctx, DeskException.invalid(errors));
      return;
    }
    desk.service().search(q, status, page - 1, size).onSuccess((Page<ServiceRequest> p) -> {
      JsonArray items = new JsonArray();
      p.items().forEach(r -> items.add(ApiJson.request(r, t)));
      replies.ok(ctx, 200, new JsonObject()
          .put("message", t.t("api.search", "total", p.total()))
          .put("items", items)
          .put("page", page)
          .put("size", size)
          .put("total", p.total())
          .put("pages", p.pages()));
    }).onFailure(e -> replies.error(ctx, e));
  }

  private static int intParam(RoutingContext ctx, String name, int fallback, int min, int max, Map<String, DeskException.FieldError> errors) {
    String raw = ctx.queryParams().get(name);
    if (raw == null || raw.isBlank()) {
      return fallback;
    }
    try {
      int v = Integer.parseInt(raw.trim());
      if (v >= min && v <= max) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    errors.put(name, new DeskException.FieldError("error.range", "min", min, "max", max));
    return fallback;
  }

  // ------------------------------------------------------------------ migration (dual storage)

  private void migration(RoutingContext ctx, boolean sync) {
    run(ctx, json -> {
      Object raw = json.getValue("request_number", json.getValue("number"));
      String number = raw == null ? null : raw.toString().trim();
      if (number == null || !ServiceRequest.NUMBER.matcher(number).matches()) {
        throw DeskException.invalid(Map.of("request_number", new DeskException.FieldError("error.request_number")));
      }
      if (!(storage instanceof DualStorage dual)) {
        return Future.succeededFuture(new Reply(409, new JsonObject().put("success", false)
            .put("request_number", number).put("message", replies.texts(ctx).t("api.not_dual"))));
      }
      Future<List<RecordDiff>> diffs = sync
          ? dual.syncRecord(DeskKinds.REQUESTS, number, true)
          : dual.validateRecord(DeskKinds.REQUESTS, number);
      return diffs.compose(list -> {
        RecordDiff request = list.stream().filter(d -> d.kind().equals(DeskKinds.REQUESTS.name())).findFirst().orElse(null);
        if (request == null || request.status() == RecordDiff.Status.MISSING_IN_BOTH) {
          return Future.failedFuture(DeskException.notFound(number));
        }
        JsonArray out = new JsonArray();
        list.forEach(d -> out.add(d.toJson()));
        boolean inSync = list.stream().allMatch(RecordDiff::equal);
        Texts t = replies.texts(ctx);
        return new DeskStorage(dual).requests().find(number).map(found -> new Reply(200, new JsonObject()
            .put("request_number", number)
            .put("status", found.map(ServiceRequest::status).orElse(null))
            .put("message", t.t(sync ? "api.synced" : "api.validated", "number", number))
            .put("in_sync", inSync)
            .put("diffs", out)));
      });
    });
  }

  // ------------------------------------------------------------------ records (another worker's remote backend)

  private void records(RoutingContext ctx) {
    run(ctx, json -> Future.succeededFuture().compose(v -> records.handle(json)).map(body -> new Reply(200,
        new JsonObject().put("success", true).mergeIn(body))).recover(e -> {
          Map.Entry<Integer, JsonObject> refused = RecordsApi.refusal(e);
          return refused == null ? Future.failedFuture(e)
              : Future.succeededFuture(new Reply(refused.getKey(), new JsonObject().put("success", false).mergeIn(refused.getValue())));
        }));
  }

  // ------------------------------------------------------------------ health and contract

  /**
   * The seed's bare {@code curl .../health} gets the status alone; the bearer token adds the detail. Neither shows
   * a host, a path or an error text: the storage part is its backend and whether it answers.
   */
  private void health(RoutingContext ctx) {
    Future<JsonObject> store = storage.health().timeout(3, TimeUnit.SECONDS)
        .otherwise(e -> new JsonObject().put("ok", false).put("backend", storage.backend()));
    Future<String> redis = context.redis() == null
        ? Future.succeededFuture("not_configured")
        : context.redis().ping(List.of()).timeout(2, TimeUnit.SECONDS).map("up").otherwise("down");
    Future.join(store, redis).onComplete(ar -> {
      boolean ok = store.result().getBoolean("ok", false);
      int code = ok ? 200 : 503;
      JsonObject status = new JsonObject().put("status", ok ? "ok" : "degraded");
      if (!auth.matches(ctx.request().getHeader("Authorization"))) {
        ctx.response().setStatusCode(code).putHeader("Content-Type", "application/json; charset=utf-8").end(status.encode());
        return;
      }
      JsonObject body = new JsonObject().put("success", ok).mergeIn(status)
          .put("message", ok ? "OK" : "storage unavailable")
          .put("storage", publicHealth(store.result()))
          .put("redis", redis.result())
          .put("telegram", context.api("telegram").configured())
          .put("max", context.api("max").configured())
          .put("request_numbers", requestNumbers());
      ctx.response().setStatusCode(code).putHeader("Content-Type", "application/json; charset=utf-8").end(body.encode());
    });
  }

  /** How request numbers are given: the fallback's setting and use, and its block in use while Redis is down. */
  private JsonObject requestNumbers() {
    JsonObject numbers = new JsonObject()
        .put("database_fallback", desk.config().dbFallback())
        .put("batch_size", desk.config().dbFallbackBatchSize())
        .put("database_fallbacks", desk.numbers().fallbackCount());
    desk.numbers().blockInUse().ifPresent(b -> numbers.put("block", b));
    return numbers;
  }

  /** A backend's health without where it is: its name, whether it answers, and the same for a dual store's two sides. */
  static JsonObject publicHealth(JsonObject health) {
    JsonObject out = new JsonObject().put("backend", health.getString("backend")).put("ok", health.getBoolean("ok", false));
    if (health.getValue("mode") instanceof String mode) {
      out.put("mode", mode);
    }
    for (String side : List.of("primaryHealth", "secondaryHealth")) {
      if (health.getValue(side) instanceof JsonObject h) {
        out.put(side.replace("Health", ""), publicHealth(h));
      }
    }
    return out;
  }

  private void openapi(RoutingContext ctx) {
    ctx.response().putHeader("Content-Type", "application/yaml; charset=utf-8").end(openapi);
  }

  // ------------------------------------------------------------------ plumbing

  private record Reply(int status, JsonObject body) {
  }

  /**
   * Parses the body as a JSON object (415 for a body declared as something else, 400 when it is no JSON object), runs
   * {@code action}, and answers.
   */
  private void run(RoutingContext ctx, Function<JsonObject, Future<Reply>> action) {
    if (!jsonContentType(ctx.request().getHeader("Content-Type"))) {
      replies.failure(ctx, 415, "api.media_type");
      return;
    }
    JsonObject json;
    try {
      Buffer raw = ctx.body().buffer();
      Object parsed = raw == null || raw.length() == 0 ? null : io.vertx.core.json.Json.decodeValue(raw);
      if (!(parsed instanceof JsonObject o)) {
        replies.failure(ctx, 400, "api.bad_json");
        return;
      }
      json = o;
    } catch (DecodeException e) {
      replies.failure(ctx, 400, "api.bad_json");
      return;
    }
    Future<Reply> reply;
    try {
      reply = action.apply(json);
    } catch (RuntimeException e) {
      reply = Future.failedFuture(e);
    }
    reply.onSuccess(r -> {
      if (r.body().containsKey("success")) {
        ctx.response().setStatusCode(r.status()).putHeader("Content-Type", "application/json; charset=utf-8").end(r.body().encode());
      } else {
        replies.ok(ctx, r.status(), r.body());
      }
    }).onFailure(e -> replies.error(ctx, e));
  }

  /**
   * JSON, JSON-based ({@code application/problem+json}...), none, or {@code application/x-www-form-urlencoded}: what
   * {@code curl -d} sends when no type is given, as the seed's own curl commands do; the body is read as JSON all the
   * same. Anything else (text/plain, multipart, XML...) is refused.
   */
  static boolean jsonContentType(String header) {
    if (header == null || header.isBlank()) {
      return true;
    }
    String type = header.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
    return type.equals("application/json") || (type.startsWith("application/") && type.endsWith("+json"))
        || type.equals("application/x-www-form-urlencoded");
  }

  /** A route's failure (the body handler's 413, a handler's throw) answered as JSON like every other answer. */
  private void failed(RoutingContext ctx) {
    if (ctx.statusCode() == 413) {
      replies.failure(ctx, 413, "api.too_large", "max", BODY_LIMIT);
    } else if (ctx.statusCode() == 415) {
      replies.failure(ctx, 415, "api.media_type");
    } else if (ctx.statusCode() == 400) {
      replies.failure(ctx, 400, "api.bad_json");
    } else {
      replies.error(ctx, ctx.failure() != null ? ctx.failure() : new IllegalStateException("status " + ctx.statusCode()));
    }
  }

  private static JsonObject withSuccess(JsonObject body) {
    return body.containsKey("success") ? body : new JsonObject().put("success", true).mergeIn(body);
  }

  /** The standard answer about one request: number, status (a code), message, and the request itself. */
  private static JsonObject answer(ServiceRequest r, String message, Texts t) {
    return new JsonObject()
        .put("request_number", r.number())
        .put("status", r.status())
        .put("message", message)
        .put("request", ApiJson.request(r, t));
  }

  /** Notifications go out after the answer: Telegram's pace must not hold up the caller. */
  private static void background(String what, Supplier<Future<Void>> notify) {
    try {
      notify.get().onFailure(e -> log.warn("notifications for {} failed: {}", what, Redactor.mask(String.valueOf(e.getMessage()))));
    } catch (RuntimeException e) {
      log.warn("notifications for {} failed: {}", what, Redactor.mask(String.valueOf(e.getMessage())));
    }
  }

  /** Straight to each recipient's platform; a platform not configured here reaches nobody, which is no failure. */
  private static Outbox outbox(BotContext context) {
    return (to, text, rows) -> {
      PlatformApi api = context.api(to.platform());
      return api.configured() ? api.sendMessage(api.userTarget(to.id()), text, rows, null).mapEmpty() : Future.succeededFuture();
    };
  }

  private static byte[] readResource(String name) {
    try (InputStream in = InternalApi.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is missing from the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + name, e);
    }
  }
}
