package io.splitbot.desk.bot;

import io.splitbot.worker.bot.UpdateContext;
import io.splitbot.desk.Actor;
import io.splitbot.desk.Desk;
import io.splitbot.desk.DeskException;
import io.splitbot.desk.DeskService.AssignResult;
import io.splitbot.desk.DeskService.CommentResult;
import io.splitbot.desk.DeskService.StatusResult;
import io.splitbot.desk.Roles;
import io.splitbot.desk.i18n.Texts;
import io.splitbot.worker.storage.Page;
import io.splitbot.desk.storage.DeskKinds;
import io.splitbot.desk.storage.ServiceRequest;
import io.splitbot.desk.storage.UserRef;
import io.splitbot.worker.bot.Button;
import io.splitbot.worker.bot.PlatformApi;
import io.splitbot.worker.bot.TextFit;
import io.splitbot.worker.storage.model.UserProfile;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;

/**
 * Changing requests from a chat: the status buttons on a card, a reply to a card (a comment), and /assign with its
 * executor picker. Each change runs through {@link Exactly#once}, and its notifications follow from the recorded
 * result, so a handler that runs again changes and tells nothing twice. Notifications reach each person on their
 * own platform.
 */
public final class RequestActions {
  static final int PICKER_PAGE = 8;
  /** How much of a user's name and username a picker button shows, in code points. */
  static final int PICKER_LABEL = 40;

  private final Desk desk;
  private final Function<String, PlatformApi> platforms;

  /** @param platforms each platform's API, for notifications to users of another platform than the update's */
  public RequestActions(Desk desk, Function<String, PlatformApi> platforms) {
    this.desk = desk;
    this.platforms = platforms;
  }

  /** The sender, as a user of the update's platform. */
  static Actor actor(UpdateContext ctx, Desk desk) {
    return Actor.user(new UserRef(ctx.platform(), ctx.userId()), desk.config());
  }

  private Actor actor(UpdateContext ctx) {
    return actor(ctx, desk);
  }

  private Texts texts(UpdateContext ctx) {
    return desk.messages().forUser(ctx.languageCode());
  }

  // ------------------------------------------------------------------ status buttons

  /** {@code st:<number>:<from>:<to>}: the card's status button; {@code from} is what the card showed. */
  public Future<Void> statusButton(UpdateContext ctx) {
    String[] parts = ctx.callbackData().split(":");
    Texts t = texts(ctx);
    if (parts.length != 4) {
      return new Outcome().answer(t.t("button.stale"), false).deliver(ctx);
    }
    String number = parts[1];
    String from = parts[2];
    String to = parts[3];
    Actor actor = actor(ctx);
    return Exactly.once(ctx, "status " + number + " -> " + to, resuming -> desk.service().changeStatus(number, from, to, actor, resuming)
        .map(r -> new JsonObject().put("request", DeskKinds.REQUESTS.toJson(r.request())).put("from", r.from())
            .put("to", r.to()).put("changed", r.changed()))
        .recover(Refusals::asJson)).compose(result -> {
          if (Refusals.isRefusal(result)) {
            return refreshAfterRefusal(ctx, number, result, actor, t);
          }
          ServiceRequest request = DeskKinds.REQUESTS.fromJson(result.getJsonObject("request"));
          StatusResult changed = new StatusResult(request, result.getString("from"), result.getString("to"), result.getBoolean("changed"));
          return desk.cards().render(request, actor, t)
              .compose(card -> new Outcome()
                  .answer(t.t("status.changed", "number", number, "status", t.status(to)), false)
                  .edit(card.text(), card.keyboard())
                  .deliver(ctx))
              .compose(v -> desk.notifier().statusChanged(changed, actor, BotOutbox.of(ctx, platforms)));
        });
  }

  /** A refused button: the reason as an alert, and for a stale card the card as it is now. */
  private Future<Void> refreshAfterRefusal(UpdateContext ctx, String number, JsonObject refusal, Actor actor, Texts t) {
    Outcome o = new Outcome().answer(Refusals.text(refusal, t), true);
    if (!DeskException.Kind.STALE.name().equals(refusal.getString("error"))) {
      return o.deliver(ctx);
    }
    return desk.service().get(number)
        .compose(r -> desk.cards().render(r, actor, t))
        .map(card -> o.edit(card.text(), card.keyboard()))
        .otherwise(o)
        .compose(out -> out.deliver(ctx));
  }

  // ------------------------------------------------------------------ comments

  /**
   * The request number a reply points at: the first one the replied-to message names (a card, a notification), on
   * any platform. Whether the replier may comment there is the desk's rule, checked when the comment is added.
   */
  public static String repliedRequest(UpdateContext ctx) {
    String replied = ctx.repliedTo();
    Matcher m = RequestViews.NUMBER.matcher(replied == null ? "" : replied);
    return m.find() ? m.group(1) : null;
  }

  /** A reply to a card: a comment on its request. */
  public Future<Void> comment(UpdateContext ctx, String number) {
    Texts t = texts(ctx);
    Actor author = actor(ctx);
    // one comment id per update: adding it again is a no-op in every backend (the prefix predates MAX, whose keys carry "max:")
    String id = UUID.nameUUIDFromBytes(("telegram-update:" + ctx.updateKey()).getBytes(StandardCharsets.UTF_8)).toString();
    return Exactly.once(ctx, "comment on " + number, () -> desk.service().comment(number, author, ctx.text(), id)
        .map(r -> new JsonObject().put("request", DeskKinds.REQUESTS.toJson(r.request())).put("comment", DeskKinds.COMMENTS.toJson(r.comment())))
        .recover(Refusals::asJson)).compose(result -> {
          if (Refusals.isRefusal(result)) {
            return ctx.reply(Refusals.text(result, t)).mapEmpty();
          }
          CommentResult added = new CommentResult(DeskKinds.REQUESTS.fromJson(result.getJsonObject("request")),
              DeskKinds.COMMENTS.fromJson(result.getJsonObject("comment")));
          return ctx.reply(t.t("comment.added", "number", number)).mapEmpty()
              .compose(v -> desk.notifier().commented(added, author, BotOutbox.of(ctx, platforms)));
        });
  }

  // ------------------------------------------------------------------ assignment

  /**
   * /assign &lt;number&gt; [user id]: the executor picker, or a direct assignment. Admins only. A bare id is a user of
   * the admin's own platform; {@code max:<id>} or {@code telegram:<id>} names the platform.
   */
  public Future<Void> assignCommand(UpdateContext ctx) {
    Texts t = texts(ctx);
    Actor actor = actor(ctx);
    String[] args = ctx.commandArgs().isBlank() ? new String[0] : ctx.commandArgs().split("\\s+");
    if (!Roles.canAssign(actor)) {
      return ctx.reply(t.t("assign.admins_only")).mapEmpty();
    }
    if (args.length == 0 || !ServiceRequest.NUMBER.matcher(args[0]).matches()) {
      return ctx.reply(t.t("assign.usage")).mapEmpty();
    }
    String number = args[0];
    if (args.length == 1) {
      return desk.service().get(number)
          .compose(r -> picker(number, 0, ctx.platform(), t))
          .map(p -> new Outcome().message(p.text(), p.rows()))
          .recover(e -> e instanceof DeskException d
              ? Future.succeededFuture(new Outcome().message(Refusals.text(d, t)))
              : Future.failedFuture(e))
          .compose(o -> o.deliver(ctx));
    }
    UserRef executor = executor(ctx, args[1]);
    if (executor == null) {
      return ctx.reply(t.t("assign.usage")).mapEmpty();
    }
    return desk.profiles().find(executor.platform(), executor.id()).compose(p -> p.isEmpty()
        ? ctx.reply(t.t("assign.unknown_user", "id", args[1])).mapEmpty()
        : assign(ctx, number, executor, false));
  }

  /** {@code an:<number>}: the card's Assign button opens a picker as a new message. */
  public Future<Void> assignButton(UpdateContext ctx) {
    String number = ctx.callbackData().substring("an:".length());
    Texts t = texts(ctx);
    if (!Roles.canAssign(actor(ctx))) {
      return new Outcome().answer(t.t("assign.admins_only"), true).deliver(ctx);
    }
    return picker(number, 0, ctx.platform(), t).compose(p -> new Outcome().answer(null, false)
        .message(p.text(), p.rows()).deliver(ctx));
  }

  /** {@code as:<number>:<page>}: the picker turns to another page. */
  public Future<Void> pickerPage(UpdateContext ctx) {
    String[] parts = ctx.callbackData().split(":");
    Texts t = texts(ctx);
    if (parts.length != 3 || !Roles.canAssign(actor(ctx))) {
      return new Outcome().answer(t.t("assign.admins_only"), true).deliver(ctx);
    }
    return picker(parts[1], RequestViews.parseInt(parts[2]), ctx.platform(), t)
        .compose(p -> new Outcome().answer(null, false).edit(p.text(), p.rows()).deliver(ctx));
  }

  /** {@code ax:<number>:<user id>}: a user picked (of the picker's platform, the admin's own). */
  public Future<Void> pick(UpdateContext ctx) {
    String[] parts = ctx.callbackData().split(":", 3);
    UserRef executor = parts.length == 3 ? executor(ctx, parts[2]) : null;
    if (executor == null) {
      return new Outcome().answer(texts(ctx).t("button.stale"), false).deliver(ctx);
    }
    return assign(ctx, parts[1], executor, true);
  }

  /** A user id as an admin gives it: bare, a user of the admin's platform; or {@code <platform>:<id>}. Null if neither. */
  private static UserRef executor(UpdateContext ctx, String given) {
    try {
      return given.contains(":") ? UserRef.parse(given) : new UserRef(ctx.platform(), UserRef.parse(given).id());
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private Future<Void> assign(UpdateContext ctx, String number, UserRef executor, boolean fromPicker) {
    Texts t = texts(ctx);
    Actor actor = actor(ctx);
    // a run after a crash in the middle of the write resumes it, and still notifies the executor
    return Exactly.once(ctx, "assign " + number, resuming -> desk.service().assign(number, executor, actor, resuming)
        .map(r -> new JsonObject().put("request", DeskKinds.REQUESTS.toJson(r.request())).put("changed", r.changed()))
        .recover(Refusals::asJson)).compose(result -> {
      if (Refusals.isRefusal(result)) {
        String reason = Refusals.text(result, t);
        return (fromPicker ? new Outcome().answer(reason, true) : new Outcome().message(reason)).deliver(ctx);
      }
      AssignResult assigned = new AssignResult(DeskKinds.REQUESTS.fromJson(result.getJsonObject("request")), result.getBoolean("changed"));
      return desk.profiles().displayName(executor.platform(), executor.id()).compose(name -> {
        String text = t.t(assigned.changed() ? "assign.done" : "assign.same", "name", name, "number", number);
        Outcome o = fromPicker ? new Outcome().answer(text, false).edit(text, null) : new Outcome().message(text);
        return o.deliver(ctx);
      }).compose(v -> desk.notifier().assigned(assigned, actor, BotOutbox.of(ctx, platforms)));
    });
  }

  /** A page of the picker: its text and buttons. */
  private record Picker(String text, List<List<Button>> rows) {
  }

  /** A page of the known users of {@code platform} to pick the executor from. */
  private Future<Picker> picker(String number, int page, String platform, Texts t) {
    return desk.service().storage().users().list(platform, page, PICKER_PAGE).map((Page<UserProfile> users) -> {
      if (users.total() == 0) {
        return new Picker(t.t("assign.no_users"), List.of());
      }
      List<List<Button>> rows = new ArrayList<>();
      for (UserProfile u : users.items()) {
        String label = u.displayName() + (u.username() != null && u.firstName() != null ? " @" + u.username() : "");
        rows.add(List.of(Keyboards.button(TextFit.cut(label, PICKER_LABEL), "ax:" + number + ":" + u.userId())));
      }
      List<Button> nav = new ArrayList<>();
      if (page > 0) {
        nav.add(Keyboards.button(t.t("button.prev"), "as:" + number + ":" + (page - 1)));
      }
      if (users.hasNext()) {
        nav.add(Keyboards.button(t.t("button.next"), "as:" + number + ":" + (page + 1)));
      }
      if (!nav.isEmpty()) {
        rows.add(nav);
      }
      return new Picker(t.t("assign.choose", "number", number), rows);
    });
  }
}
