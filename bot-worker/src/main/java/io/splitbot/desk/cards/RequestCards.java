package io.splitbot.desk.cards;

import io.splitbot.desk.Actor;
import io.splitbot.desk.DeskConfig;
import io.splitbot.desk.DeskService;
import io.splitbot.desk.Roles;
import io.splitbot.desk.StatusFlow;
import io.splitbot.desk.bot.Keyboards;
import io.splitbot.desk.i18n.Texts;
import io.splitbot.worker.profile.Profiles;
import io.splitbot.desk.storage.Comment;
import io.splitbot.desk.storage.ServiceRequest;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The request card: a message showing one request, with the buttons its viewer may press (status changes for its
 * executor and admins, Assign for admins). Its first line names the request number, which is how a reply to it
 * becomes a comment on that request.
 */
public final class RequestCards {
  /** Comments the card shows, the latest ones. */
  static final int COMMENTS_SHOWN = 3;

  private final DeskService service;
  private final Profiles profiles;
  private final DeskConfig config;
  private final DateTimeFormatter dates;

  public RequestCards(DeskService service, Profiles profiles, DeskConfig config) {
    this.service = service;
    this.profiles = profiles;
    this.config = config;
    this.dates = DateTimeFormatter.ofPattern("dd.MM.yyyy HH:mm").withZone(config.timeZone());
  }

  public record Card(String text, JsonObject keyboard) {
  }

  public Future<Card> render(ServiceRequest r, Actor viewer, Texts t) {
    Future<String> executor = r.executorId() == null
        ? Future.succeededFuture(t.t("card.no_executor"))
        : profiles.displayName("telegram", r.executorId());
    Future<List<Comment>> comments = service.comments(r.number());
    return Future.all(executor, comments).compose(all -> commentLines(comments.result(), t).map(lines ->
        new Card(text(r, executor.result(), comments.result().size(), lines, t), keyboard(r, viewer, t))));
  }

  private Future<List<String>> commentLines(List<Comment> comments, Texts t) {
    List<Comment> last = comments.subList(Math.max(0, comments.size() - COMMENTS_SHOWN), comments.size());
    List<Future<String>> lines = new ArrayList<>();
    for (Comment c : last) {
      Future<String> author = c.authorId() <= 0
          ? Future.succeededFuture(t.t("actor.system"))
          : profiles.displayName("telegram", c.authorId());
      lines.add(author.map(name -> t.t("card.comment", "author", name, "text", c.text())));
    }
    return Future.all(lines).map(f -> f.<String>list());
  }

  private String text(ServiceRequest r, String executor, int commentCount, List<String> commentLines, Texts t) {
    StringBuilder b = new StringBuilder();
    b.append(t.t("card.header", "number", r.number(), "status", t.status(r.status()))).append('\n');
    b.append(r.title()).append('\n');
    if (r.description() != null) {
      b.append(r.description()).append('\n');
    }
    b.append('\n');
    String address = r.address() == null ? "—" : r.address();
    if (r.apartment() != null) {
      address += t.t("card.apartment", "apartment", r.apartment());
    }
    b.append(t.t("card.address", "address", address)).append('\n');
    b.append(t.t("card.category", "category", t.category(r.category()), "priority", t.priority(r.priority())));
    if (r.isEmergency() && !"emergency".equals(r.priority())) {
      b.append(" · ").append(t.t("card.emergency"));
    }
    b.append('\n');
    if (r.phone() != null || r.contactName() != null) {
      b.append(t.t("card.contact", "name", r.contactName() == null ? "—" : r.contactName(),
          "phone", r.phone() == null ? "—" : r.phone())).append('\n');
    }
    if (r.estimatedCost() != null) {
      b.append(t.t("card.cost", "cost", r.estimatedCost().toPlainString())).append('\n');
    }
    if (r.preferredTime() != null) {
      b.append(t.t("card.preferred_time", "time", format(r.preferredTime()), "zone", config.timeZone().getId())).append('\n');
    }
    b.append(t.t("card.executor", "executor", executor)).append('\n');
    b.append(t.t("card.created", "time", format(r.createdAt()), "zone", config.timeZone().getId()));
    if (commentCount > 0) {
      b.append("\n\n").append(t.t("card.comments", "count", commentCount));
      commentLines.forEach(line -> b.append('\n').append(line));
    }
    b.append("\n\n").append(t.t("card.reply_hint"));
    return b.toString();
  }

  private String format(Instant instant) {
    return dates.format(instant);
  }

  /** Status buttons for the executor and admins, Assign for admins; null when the viewer can press nothing. */
  public JsonObject keyboard(ServiceRequest r, Actor viewer, Texts t) {
    JsonArray rows = new JsonArray();
    if (Roles.canChangeStatus(r, viewer)) {
      JsonArray row = new JsonArray();
      for (String to : StatusFlow.next(r.status())) {
        row.add(Keyboards.button(t.t("button.status." + to), "st:" + r.number() + ":" + r.status() + ":" + to));
      }
      if (!row.isEmpty()) {
        rows.add(row);
      }
    }
    if (Roles.canAssign(viewer) && StatusFlow.isOpen(r.status())) {
      rows.add(new JsonArray().add(Keyboards.button(t.t("button.assign"), "an:" + r.number())));
    }
    return rows.isEmpty() ? null : Keyboards.inline(rows);
  }
}
