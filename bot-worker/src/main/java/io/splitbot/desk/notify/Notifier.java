package io.splitbot.desk.notify;

import io.splitbot.shared.log.Redactor;
import io.splitbot.desk.Actor;
import io.splitbot.desk.DeskConfig;
import io.splitbot.desk.DeskService.AssignResult;
import io.splitbot.desk.DeskService.CommentResult;
import io.splitbot.desk.DeskService.StatusResult;
import io.splitbot.desk.RequestFields;
import io.splitbot.desk.bot.Keyboards;
import io.splitbot.desk.cards.RequestCards;
import io.splitbot.desk.i18n.Messages;
import io.splitbot.desk.i18n.Texts;
import io.splitbot.worker.profile.Profiles;
import io.splitbot.desk.storage.ServiceRequest;
import io.splitbot.desk.storage.UserRef;
import io.splitbot.worker.bot.Button;
import io.splitbot.worker.bot.TextFit;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the people concerned what happened to a request, each in their own language:
 * <ul>
 *   <li>a status change: the requester;</li>
 *   <li>a comment: the requester and the executor;</li>
 *   <li>an assignment: the new executor, with the request card and its status buttons;</li>
 *   <li>a new request: the admins, with the card and its Assign button;</li>
 *   <li>an edit through the API: the requester.</li>
 * </ul>
 * Each person hears of it on their own platform (a MAX requester on MAX, whoever acted). Whoever caused the change is
 * not told about it. Messages go out one after another in a fixed order (which keeps a handler's effects in the same
 * order when it runs again). A notification the platform refuses (the user blocked the bot, never started it) is
 * logged and skipped: it never fails the change it reports.
 */
public final class Notifier {
  private static final Logger log = LoggerFactory.getLogger(Notifier.class);
  /**
   * How much of a comment its notification shows, in code points (at most twice as many UTF-16 units, well within a
   * message); a longer one ends with "…" and a button that opens the request's card, which shows it all.
   */
  static final int COMMENT_SHOWN = 1000;

  private final Messages messages;
  private final Profiles profiles;
  private final RequestCards cards;
  private final DeskConfig config;

  public Notifier(Messages messages, Profiles profiles, RequestCards cards, DeskConfig config) {
    this.messages = messages;
    this.profiles = profiles;
    this.cards = cards;
    this.config = config;
  }

  public Future<Void> statusChanged(StatusResult result, Actor actor, Outbox out) {
    if (!result.changed()) {
      return Future.succeededFuture();
    }
    ServiceRequest r = result.request();
    return actorName(actor).compose(by -> each(recipients(actor, r.requester()), user -> texts(user).compose(t ->
        send(out, user, t.t("notify.status", "number", r.number(), "title", title(r), "from", t.status(result.from()),
            "to", t.status(result.to()), "actor", by.apply(t))))));
  }

  public Future<Void> commented(CommentResult result, Actor author, Outbox out) {
    ServiceRequest r = result.request();
    String text = result.comment().text();
    String shown = TextFit.cut(text, COMMENT_SHOWN);
    return actorName(author).compose(by -> each(recipients(author, r.requester(), r.executor()), user ->
        texts(user).compose(t -> send(out, user, t.t("notify.comment", "number", r.number(), "title", title(r),
            "author", by.apply(t), "text", shown), shown.equals(text)
            ? List.of()
            : List.of(List.of(Keyboards.button(t.t("button.open_card", "number", r.number()), "rq:" + r.number())))))));
  }

  public Future<Void> assigned(AssignResult result, Actor by, Outbox out) {
    ServiceRequest r = result.request();
    if (!result.changed() || r.executor() == null) {
      return Future.succeededFuture();
    }
    return each(recipients(by, r.executor()), user -> texts(user).compose(t ->
        cards.render(r, Actor.user(user, config), t).compose(card ->
            send(out, user, t.t("notify.assigned", "number", r.number()) + "\n\n" + card.text(), card.keyboard()))));
  }

  public Future<Void> created(ServiceRequest r, Outbox out) {
    List<UserRef> admins = new ArrayList<>(config.admins());
    // Telegram's first, as before there were platforms, then by platform and id: the same order on every run
    admins.sort(Comparator.comparing((UserRef u) -> !u.isTelegram()).thenComparing(UserRef::platform)
        .thenComparingLong(UserRef::id));
    Actor requester = new Actor(r.requesterPlatform(), r.requesterId(), false, false);
    return profiles.displayName(r.requesterPlatform(), r.requesterId()).compose(name -> each(recipients(requester,
        admins.toArray(UserRef[]::new)), user -> texts(user).compose(t -> cards.render(r, Actor.user(user, config), t)
            .compose(card -> send(out, user, t.t("notify.created", "number", r.number(), "requester", name) + "\n\n"
                + card.text(), card.keyboard())))));
  }

  public Future<Void> updated(ServiceRequest r, Actor by, Outbox out) {
    return each(recipients(by, r.requester()), user -> texts(user).compose(t ->
        send(out, user, t.t("notify.updated", "number", r.number(), "title", title(r)))));
  }

  /** The title as a notification names it: all of it within the field's limit, cut to it should a longer one be stored. */
  private static String title(ServiceRequest r) {
    return TextFit.cut(r.title(), RequestFields.TITLE_MAX);
  }

  /** The users to tell, in order, without duplicates and without the one who acted. */
  private static List<UserRef> recipients(Actor actor, UserRef... users) {
    Set<UserRef> out = new LinkedHashSet<>();
    for (UserRef u : users) {
      if (u != null && u.id() > 0 && !actor.is(u)) {
        out.add(u);
      }
    }
    return List.copyOf(out);
  }

  /** The actor's name as each recipient should read it: a user's name, or "the service desk" for the API. */
  private Future<Function<Texts, String>> actorName(Actor actor) {
    if (actor.system() && actor.userId() <= 0) {
      return Future.succeededFuture(t -> t.t("actor.system"));
    }
    return profiles.displayName(actor.platform(), actor.userId()).map(name -> t -> name);
  }

  private Future<Texts> texts(UserRef user) {
    return profiles.languageCode(user.platform(), user.id()).map(messages::forUser);
  }

  private static Future<Void> each(List<UserRef> users, Function<UserRef, Future<Void>> action) {
    Future<Void> chain = Future.succeededFuture();
    for (UserRef u : users) {
      chain = chain.compose(v -> action.apply(u));
    }
    return chain;
  }

  private static Future<Void> send(Outbox out, UserRef user, String text) {
    return send(out, user, text, List.of());
  }

  private static Future<Void> send(Outbox out, UserRef user, String text, List<List<Button>> rows) {
    Future<Void> sent;
    try {
      sent = out.send(user, text, rows);
    } catch (RuntimeException e) {
      sent = Future.failedFuture(e);
    }
    return sent.recover(e -> {
      log.warn("notification to {} user {} not delivered: {}", user.platform(), user.id(),
          Redactor.mask(String.valueOf(e.getMessage())));
      return Future.succeededFuture();
    });
  }
}
