package io.splitbot.worker.sandbox;

import io.splitbot.shared.http.JsonErrors;
import io.splitbot.shared.http.MonitoringAccess;
import io.splitbot.worker.http.PageFiles;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Objects;

/**
 * The chat page and what it calls, under {@code /sandbox} on the worker's port: the page itself, the switcher's
 * people, what the users do (a message, a shared contact, a pressed button) turned into the emulator's updates, and
 * the chats' changes as a long poll. Served to loopback clients that name a loopback host only: the sandbox binds to
 * 127.0.0.1, and a web page elsewhere cannot reach it through a rebound DNS name either.
 */
public final class SandboxApi {
  /** The longest a long poll for changes is held open, in milliseconds. */
  static final long MAX_WAIT_MS = 30_000;
  private static final String PAGE_DIR = "io/splitbot/worker/sandbox/page/";
  // The page is its own files only: no inline script, nothing from elsewhere.
  private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
      + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private final BotApiEmulator emulator;
  private final ChatFeed feed;
  private final MonitoringAccess loopbackOnly = new MonitoringAccess(null);
  private final PageFiles page = PageFiles.load(PAGE_DIR, CSP, "index.html", "sandbox.css", "sandbox.js");

  /** @param vertx the worker's Vert.x, whose event loops answer the page */
  public SandboxApi(Vertx vertx, BotApiEmulator emulator) {
    this.emulator = emulator;
    this.feed = new ChatFeed(vertx);
    emulator.onChange(feed::add);
  }

  /** Mounts the page and its API on the worker's router. */
  public void mount(Router router) {
    router.route("/sandbox*").order(-100).handler(this::guard);
    router.get("/sandbox").handler(ctx -> page.serve(ctx, "index.html"));
    router.get("/sandbox/sandbox.css").handler(ctx -> page.serve(ctx, "sandbox.css"));
    router.get("/sandbox/sandbox.js").handler(ctx -> page.serve(ctx, "sandbox.js"));
    router.get("/sandbox/api/people").handler(ctx -> answer(ctx, SandboxPeople.json().put("bot", emulator.botUser())));
    router.get("/sandbox/api/changes").handler(this::changes);
    router.post("/sandbox/api/*").handler(BodyHandler.create(false).setBodyLimit(64 * 1024));
    router.post("/sandbox/api/messages").handler(ctx -> act(ctx, SandboxRequests::message));
    router.post("/sandbox/api/callbacks").handler(ctx -> act(ctx, SandboxRequests::press));
  }

  private void guard(RoutingContext ctx) {
    if (!loopbackOnly.allowed(ctx) || ctx.request().authority() == null) {
      JsonErrors.send(ctx, 403, "the sandbox is served on 127.0.0.1 to this machine only");
      return;
    }
    ctx.next();
  }

  private void changes(RoutingContext ctx) {
    long after;
    long waitMs;
    try {
      after = SandboxRequests.count(Objects.requireNonNullElse(ctx.queryParams().get("after"), "0"), "after", 0, Long.MAX_VALUE);
      waitMs = SandboxRequests.count(Objects.requireNonNullElse(ctx.queryParams().get("wait_ms"), "0"), "wait_ms", 0, MAX_WAIT_MS);
    } catch (IllegalArgumentException e) {
      JsonErrors.send(ctx, 400, e.getMessage());
      return;
    }
    Future<JsonObject> waiting = feed.after(after, waitMs);
    ctx.response().closeHandler(v -> feed.drop(waiting));
    waiting.onSuccess(page -> {
      if (!ctx.response().closed()) {
        answer(ctx, page);
      }
    });
  }

  /** What a user does, read and checked by {@link SandboxRequests}, then done at the emulator. */
  private void act(RoutingContext ctx, SandboxRequests.Action action) {
    String contentType = ctx.request().getHeader("Content-Type");
    if (contentType == null || !contentType.toLowerCase().startsWith("application/json")) {
      JsonErrors.send(ctx, 415, "send the action as application/json");
      return;
    }
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (RuntimeException e) {
      JsonErrors.send(ctx, 400, "the body is not a JSON object");
      return;
    }
    if (body == null) {
      JsonErrors.send(ctx, 400, "the body is empty");
      return;
    }
    JsonObject update;
    try {
      update = action.apply(body, emulator);
    } catch (IllegalArgumentException e) {
      JsonErrors.send(ctx, 400, e.getMessage());
      return;
    }
    if (update == null) {
      JsonErrors.send(ctx, 404, "that chat shows no such message with such a button");
      return;
    }
    answer(ctx, new JsonObject().put("update_id", update.getValue("update_id")));
  }

  private static void answer(RoutingContext ctx, JsonObject body) {
    ctx.response().putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store").end(body.encode());
  }
}
