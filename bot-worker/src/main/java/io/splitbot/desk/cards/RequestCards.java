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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The request card: a message showing one request, with the buttons its viewer may press (status changes for its
 * executor and admins, Assign for admins). Its first line names the request number, which is how a reply to it
 * becomes a comment on that request. People are named from their profiles on their own platform; the requester's
 * platform is named too when it is not the viewer's.
 *
 * <p>A card too long for one message (a long description, many or long comments) is shown in pages, turned with
 * Back and Next under it ({@code cp:<number>:<page>}): the card stays one message, so its buttons edit it in place and
 * a reply to any page still comments on the request, and nothing is left out or flooded into the chat. Every page
 * starts with the number line and ends with the reply hint; comments come newest first, so the first page shows the
 * latest. Lengths are counted in UTF-16 code units, which both platforms' limits are safe in (see OutgoingFit).
 */
public final class RequestCards {
  /**
   * The longest card page: MAX takes 4000 characters a message (Telegram 4096), and a notification puts a line or two
   * before the card.
   */
  static final int PAGE_TEXT = 3500;

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

  /** One page of the card: its text and the buttons its viewer may press (none: empty); {@code page} counts from 0. */
  public record Card(String text, List<List<Button>> keyboard, int page, int pages) {
  }

  /** The card's first page. */
  public Future<Card> render(ServiceRequest r, Actor viewer, Texts t) {
    return render(r, viewer, t, 0);
  }

  /** Page {@code page} of the card (its last when there are fewer). */
  public Future<Card> render(ServiceRequest r, Actor viewer, Texts t, int page) {
    Future<String> executor = r.executor() == null
        ? Future.succeededFuture(t.t("card.no_executor"))
        : profiles.displayName(r.executor().platform(), r.executor().id());
    Future<String> requester = profiles.displayName(r.requesterPlatform(), r.requesterId()).map(name ->
        r.requesterPlatform().equals(viewer.platform()) ? name : name + " (" + t.platform(r.requesterPlatform()) + ")");
    Future<List<Comment>> comments = service.comments(r.number());
    return Future.all(executor, requester, comments).compose(all -> commentAuthors(comments.result(), t).map(authors -> {
      List<String> pages = CardPages.split(blocks(r, requester.result(), executor.result(), comments.result(), authors, t),
          bodyBudget(r, t));
      int shown = Math.max(0, Math.min(page, pages.size() - 1));
      return new Card(pageText(r, pages.get(shown), shown, pages.size(), t), keyboard(r, viewer, t, shown, pages.size()),
          shown, pages.size());
    }));
  }

  /** The comments' authors by name, each looked up once. */
  private Future<Map<String, String>> commentAuthors(List<Comment> comments, Texts t) {
    Map<String, Future<String>> names = new LinkedHashMap<>();
    for (Comment c : comments) {
      names.computeIfAbsent(authorKey(c), k -> c.authorId() <= 0
          ? Future.succeededFuture(t.t("actor.system"))
          : profiles.displayName(c.authorPlatform(), c.authorId()));
    }
    return Future.all(new ArrayList<>(names.values())).map(v -> {
      Map<String, String> resolved = new LinkedHashMap<>();
      names.forEach((key, name) -> resolved.put(key, name.result()));
      return resolved;
    });
  }

  private static String authorKey(Comment c) {
    return c.authorId() <= 0 ? "system" : c.authorPlatform() + ":" + c.authorId();
  }

  /** The room a page's body has: the page less its number line (with the widest page mark) and the reply hint. */
  private static int bodyBudget(ServiceRequest r, Texts t) {
    int head = header(r, t, 998, 999).length();
    return PAGE_TEXT - head - 1 - tail(t).length();
  }

  private static String header(ServiceRequest r, Texts t, int page, int pages) {
    String header = t.t("card.header", "number", r.number(), "status", t.status(r.status()));
    return pages > 1 ? header + " · " + t.t("card.page", "page", page + 1, "pages", pages) : header;
  }

  private static String tail(Texts t) {
    return "\n\n" + t.t("card.reply_hint");
  }

  private static String pageText(ServiceRequest r, String body, int page, int pages, Texts t) {
    return header(r, t, page, pages) + "\n" + body + tail(t);
  }

  /** The card's body in blocks, the way the pages are cut: the request's fields, then its comments, newest first. */
  private List<String> blocks(ServiceRequest r, String requester, String executor, List<Comment> comments,
      Map<String, String> authors, Texts t) {
    List<String> b = new ArrayList<>();
    b.add(r.title());
    if (r.description() != null) {
      b.add(r.description());
    }
    b.add("");
    String address = r.address() == null ? "—" : r.address();
    if (r.apartment() != null) {
      address += t.t("card.apartment", "apartment", r.apartment());
    }
    b.add(t.t("card.address", "address", address));
    String category = t.t("card.category", "category", t.category(r.category()), "priority", t.priority(r.priority()));
    if (r.isEmergency() && !"emergency".equals(r.priority())) {
      category += " · " + t.t("card.emergency");
    }
    b.add(category);
    if (r.phone() != null || r.contactName() != null) {
      b.add(t.t("card.contact", "name", r.contactName() == null ? "—" : r.contactName(),
          "phone", r.phone() == null ? "—" : r.phone()));
    }
    if (r.estimatedCost() != null) {
      b.add(t.t("card.cost", "cost", r.estimatedCost().toPlainString()));
    }
    if (r.preferredTime() != null) {
      b.add(t.t("card.preferred_time", "time", format(r.preferredTime()), "zone", config.timeZone().getId()));
    }
    b.add(t.t("card.requester", "requester", requester));
    b.add(t.t("card.executor", "executor", executor));
    b.add(t.t("card.created", "time", format(r.createdAt()), "zone", config.timeZone().getId()));
    if (!comments.isEmpty()) {
      b.add("");
      b.add(t.t("card.comments", "count", comments.size()));
      for (int i = comments.size() - 1; i >= 0; i--) {
        Comment c = comments.get(i);
        b.add(t.t("card.comment", "author", authors.get(authorKey(c)), "text", c.text()));
      }
    }
    return b;
  }

  private String format(Instant instant) {
    return dates.format(instant);
  }

  /**
   * Status buttons for the executor and admins, Assign for admins, then Back and Next when the card has more than one
   * page; empty when the viewer can press nothing.
   */
  private List<List<Button>> keyboard(ServiceRequest r, Actor viewer, Texts t, int page, int pages) {
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
    List<Button> nav = new ArrayList<>();
    if (page > 0) {
      nav.add(Keyboards.button(t.t("button.prev"), "cp:" + r.number() + ":" + (page - 1)));
    }
    if (page + 1 < pages) {
      nav.add(Keyboards.button(t.t("button.next"), "cp:" + r.number() + ":" + (page + 1)));
    }
    if (!nav.isEmpty()) {
      rows.add(nav);
    }
    return rows;
  }
}
