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
import io.splitbot.worker.bot.Button;
import io.vertx.core.Future;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The request card: a message showing one request, with the buttons its viewer may press (status changes for its
 * executor and admins, Assign for admins). Its first line names the request number, which is how a reply to it
 * becomes a comment on that request. People are named from their profiles on their own platform; the requester's
 * platform is named too when it is not the viewer's.
 */
public final class RequestCards {
  /** Comments the card shows, the latest ones. */
  static final int COMMENTS_SHOWN = 3;
  /**
   * The longest card text: MAX takes 4000 characters a message (Telegram 4096), and a notification puts a line or two
   * before the card. Long comments are shortened to fit.
   */
  static final int MAX_TEXT = 3500;

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

  /** The card's text and the buttons its viewer may press (none: empty). */
  public record Card(String text, List<List<Button>> keyboard) {
  }

  public Future<Card> render(ServiceRequest r, Actor viewer, Texts t) {
    Future<String> executor = r.executor() == null
        ? Future.succeededFuture(t.t("card.no_executor"))
        : profiles.displayName(r.executor().platform(), r.executor().id());
    Future<String> requester = profiles.displayName(r.requesterPlatform(), r.requesterId()).map(name ->
        r.requesterPlatform().equals(viewer.platform()) ? name : name + " (" + t.platform(r.requesterPlatform()) + ")");
    Future<List<Comment>> comments = service.comments(r.number());
    return Future.all(executor, requester, comments).compose(all -> commentAuthors(comments.result(), t).map(authors ->
        new Card(fitted(r, requester.result(), executor.result(), comments.result(), authors, t), keyboard(r, viewer, t))));
  }

  /** The latest comments' authors, by name. */
  private Future<List<String>> commentAuthors(List<Comment> comments, Texts t) {
    List<Future<String>> names = new ArrayList<>();
    for (Comment c : shown(comments)) {
      names.add(c.authorId() <= 0
          ? Future.succeededFuture(t.t("actor.system"))
          : profiles.displayName(c.authorPlatform(), c.authorId()));
    }
    return Future.all(names).map(f -> f.<String>list());
  }

  private static List<Comment> shown(List<Comment> comments) {
    return comments.subList(Math.max(0, comments.size() - COMMENTS_SHOWN), comments.size());
  }

  /**
   * The text, its comments shortened to the longest length at which it stays within {@link #MAX_TEXT} (found by
   * halving: three comments, a dozen tries at most).
   */
  private String fitted(ServiceRequest r, String requester, String executor, List<Comment> comments, List<String> authors,
      Texts t) {
    List<Comment> last = shown(comments);
    int longest = last.stream().mapToInt(c -> c.text().length()).max().orElse(0);
    String text = text(r, requester, executor, comments.size(), commentLines(last, authors, longest, t), t);
    if (text.length() <= MAX_TEXT) {
      return text;
    }
    int fits = 0;
    int tooLong = longest;
    while (tooLong - fits > 1) {
      int mid = (fits + tooLong) / 2;
      if (text(r, requester, executor, comments.size(), commentLines(last, authors, mid, t), t).length() <= MAX_TEXT) {
        fits = mid;
      } else {
        tooLong = mid;
      }
    }
    text = text(r, requester, executor, comments.size(), commentLines(last, authors, Math.max(1, fits), t), t);
    // what no shortening of comments makes fit (it cannot happen within the fields' limits) is cut
    return text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT - 1) + "…" : text;
  }

  private static List<String> commentLines(List<Comment> comments, List<String> authors, int maxLength, Texts t) {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < comments.size(); i++) {
      String text = comments.get(i).text();
      text = text.length() <= maxLength ? text : text.substring(0, maxLength) + "…";
      lines.add(t.t("card.comment", "author", authors.get(i), "text", text));
    }
    return lines;
  }

  private String text(ServiceRequest r, String requester, String executor, int commentCount, List<String> commentLines, Texts t) {
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
    b.append(t.t("card.requester", "requester", requester)).append('\n');
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

  /** Status buttons for the executor and admins, Assign for admins; empty when the viewer can press nothing. */
  public List<List<Button>> keyboard(ServiceRequest r, Actor viewer, Texts t) {
    List<List<Button>> rows = new ArrayList<>();
    if (Roles.canChangeStatus(r, viewer)) {
      List<Button> row = new ArrayList<>();
      for (String to : StatusFlow.next(r.status())) {
        row.add(Keyboards.button(t.t("button.status." + to), "st:" + r.number() + ":" + r.status() + ":" + to));
      }
      if (!row.isEmpty()) {
        rows.add(row);
      }
    }
    if (Roles.canAssign(viewer) && StatusFlow.isOpen(r.status())) {
      rows.add(List.of(Keyboards.button(t.t("button.assign"), "an:" + r.number())));
    }
    return rows;
  }
}
