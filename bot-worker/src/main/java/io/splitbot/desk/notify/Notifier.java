package io.splitbot.desk.notify;

import io.splitbot.shared.log.Redactor;
import io.splitbot.desk.Actor;
import io.splitbot.desk.DeskConfig;
import io.splitbot.desk.DeskService.AssignResult;
import io.splitbot.desk.DeskService.CommentResult;
import io.splitbot.desk.DeskService.StatusResult;
import io.splitbot.desk.cards.RequestCards;
import io.splitbot.desk.i18n.Messages;
import io.splitbot.desk.i18n.Texts;
import io.splitbot.worker.profile.Profiles;
import io.splitbot.desk.storage.ServiceRequest;
import io.vertx.core.Future;
import java.util.ArrayList;
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
 * Whoever caused the change is not told about it. Messages go out one after another in a fixed order (which keeps
 * a handler's effects in the same order when it runs again). A notification that Telegram refuses (the user blocked
 * the bot, never started it) is logged and skipped: it never fails the change it reports.
 */
public final class Notifier {
  private static final Logger log = LoggerFactory.getLogger(Notifier.class);

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
    return actorName(actor).compose(by -> each(recipients(actor, r.requesterId()), user -> texts(user).compose(t ->
        send(out, user, t.t("notify.status", "number", r.number(), "title", r.title(), "from", t.status(result.from()),
            "to", t.status(result.to()), "actor", by.apply(t))))));
  }

  public Future<Void> commented(CommentResult result, Actor author, Outbox out) {
    ServiceRequest r = result.request();
    return actorName(author).compose(by -> each(recipients(author, r.requesterId(), r.executorId()), user ->
        texts(user).compose(t -> send(out, user, t.t("notify.comment", "number", r.number(), "title", r.title(),
            "author", by.apply(t), "text", result.comment().text())))));
  }

  public Future<Void> assigned(AssignResult result, Actor by, Outbox out) {
    ServiceRequest r = result.request();
    if (!result.changed() || r.executorId() == null) {
      return Future.succeededFuture();
    }
    long executor = r.executorId();
    return each(recipients(by, executor), user -> texts(user).compose(t ->
        cards.render(r, Actor.user(user, config), t).compose(card ->
            send(out, user, t.t("notify.assigned", "number", r.number()) + "\n\n" + card.text(), card.keyboard()))));
  }

  public Future<Void> created(ServiceRequest r, Outbox out) {
    List<Long> admins = new ArrayList<>(config.adminUserIds());
    admins.sort(Long::compare);
    Actor requester = new Actor(r.requesterId(), false, false);
    return profiles.displayName("telegram", r.requesterId()).compose(name -> each(recipients(requester, admins.toArray(Long[]::new)),
        user -> texts(user).compose(t -> cards.render(r, Actor.user(user, config), t).compose(card ->
            send(out, user, t.t("notify.created", "number", r.number(), "requester", name) + "\n\n" + card.text(),
                card.keyboard())))));
  }

  public Future<Void> updated(ServiceRequest r, Actor by, Outbox out) {
    return each(recipients(by, r.requesterId()), user -> texts(user).compose(t ->
        send(out, user, t.t("notify.updated", "number", r.number(), "title", r.title()))));
  }

  /** The users to tell, in order, without duplicates and without the one who acted. */
  private static List<Long> recipients(Actor actor, Long... users) {
    Set<Long> out = new LinkedHashSet<>();
    for (Long u : users) {
      if (u != null && u > 0 && u != actor.userId()) {
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
    return profiles.displayName("telegram", actor.userId()).map(name -> t -> name);
  }

  private Future<Texts> texts(long user) {
    return profiles.languageCode("telegram", user).map(messages::forUser);
  }

  private static Future<Void> each(List<Long> users, Function<Long, Future<Void>> action) {
    Future<Void> chain = Future.succeededFuture();
    for (Long u : users) {
      chain = chain.compose(v -> action.apply(u));
    }
    return chain;
  }

  private static Future<Void> send(Outbox out, long user, String text) {
    return send(out, user, text, null);
  }

  private static Future<Void> send(Outbox out, long user, String text, io.vertx.core.json.JsonObject markup) {
    return out.send(user, text, markup).recover(e -> {
      log.warn("notification to user {} not delivered: {}", user, Redactor.mask(String.valueOf(e.getMessage())));
      return Future.succeededFuture();
    });
  }
}
