package io.splitbot.desk.bot;

import io.splitbot.worker.bot.UpdateContext;
import io.splitbot.desk.Actor;
import io.splitbot.desk.Desk;
import io.splitbot.desk.DeskException;
import io.splitbot.desk.i18n.Texts;
import io.splitbot.worker.storage.Page;
import io.splitbot.desk.storage.ServiceRequest;
import io.splitbot.desk.storage.UserRef;
import io.splitbot.worker.bot.Button;
import io.splitbot.worker.bot.TextFit;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reading requests: /my (the requests you filed, or are assigned), /status &lt;number&gt; (one request's card),
 * /find &lt;text or number&gt;, and their buttons. Lists are paged, one button per request; a request's button
 * sends its card, which a reply turns into a comment. These handlers write nothing but the last /find query.
 */
public final class RequestViews {
  static final int PAGE_SIZE = 5;
  /** How much of a /find query its answer repeats, in code points: the query may be as long as a message. */
  static final int QUERY_SHOWN = 64;
  /** How much of a title a list line shows; the card shows all of it. */
  static final int TITLE_SHOWN = 100;
  /** How much of a title a request's button shows. */
  static final int BUTTON_TITLE = 32;
  static final Pattern NUMBER = Pattern.compile("\\b(\\d{6}-\\d{3,})\\b");

  private final Desk desk;

  public RequestViews(Desk desk) {
    this.desk = desk;
  }

  private Actor actor(UpdateContext ctx) {
    return RequestActions.actor(ctx, desk);
  }

  private Texts texts(UpdateContext ctx) {
    return desk.messages().forUser(ctx.languageCode());
  }

  // ------------------------------------------------------------------ /status and request buttons

  public Future<Void> status(UpdateContext ctx) {
    Texts t = texts(ctx);
    Matcher m = NUMBER.matcher(ctx.commandArgs());
    if (!m.find()) {
      return ctx.reply(t.t("status.usage")).mapEmpty();
    }
    return card(ctx, m.group(1), t).compose(o -> o.deliver(ctx));
  }

  /** {@code rq:<number>}: the request's card as a new message. */
  public Future<Void> showButton(UpdateContext ctx) {
    String number = ctx.callbackData().substring("rq:".length());
    return card(ctx, number, texts(ctx)).compose(o -> o.answer(null, false).deliver(ctx));
  }

  /** {@code cp:<number>:<page>}: the card the button sits on turns to that page. */
  public Future<Void> cardPage(UpdateContext ctx) {
    String[] parts = ctx.callbackData().split(":");
    Texts t = texts(ctx);
    if (parts.length != 3) {
      return new Outcome().answer(t.t("button.stale"), false).deliver(ctx);
    }
    Actor actor = actor(ctx);
    return desk.service().view(parts[1], actor)
        .compose(r -> desk.cards().render(r, actor, t, parseInt(parts[2])))
        .map(card -> new Outcome().answer(null, false).edit(card.text(), card.keyboard()))
        .recover(e -> e instanceof DeskException d
            ? Future.succeededFuture(new Outcome().answer(Refusals.text(d, t), true))
            : Future.failedFuture(e))
        .compose(o -> o.deliver(ctx));
  }

  private Future<Outcome> card(UpdateContext ctx, String number, Texts t) {
    Actor actor = actor(ctx);
    return desk.service().view(number, actor)
        .compose(r -> desk.cards().render(r, actor, t))
        .map(card -> new Outcome().message(card.text(), card.keyboard()))
        .recover(e -> e instanceof DeskException d
            ? Future.succeededFuture(new Outcome().message(Refusals.text(d, t)))
            : Future.failedFuture(e));
  }

  // ------------------------------------------------------------------ /my

  public Future<Void> my(UpdateContext ctx) {
    return myPage(ctx, false, 0).compose(list -> new Outcome().message(list.text, list.keyboard).deliver(ctx));
  }

  /** {@code my:r:<page>} (filed) and {@code my:a:<page>} (assigned): the list message turns to that page. */
  public Future<Void> myButton(UpdateContext ctx) {
    String[] parts = ctx.callbackData().split(":");
    boolean assigned = parts.length > 1 && parts[1].equals("a");
    int page = parts.length > 2 ? parseInt(parts[2]) : 0;
    return myPage(ctx, assigned, page).compose(list -> new Outcome().answer(null, false).edit(list.text, list.keyboard).deliver(ctx));
  }

  private record Listing(String text, List<List<Button>> keyboard) {
  }

  private Future<Listing> myPage(UpdateContext ctx, boolean assigned, int page) {
    Texts t = texts(ctx);
    UserRef user = actor(ctx).ref();
    Future<Page<ServiceRequest>> listed = assigned
        ? desk.service().assignedTo(user, page, PAGE_SIZE)
        : desk.service().filedBy(user, page, PAGE_SIZE);
    // the other list's size decides whether to offer the switch
    Future<Page<ServiceRequest>> other = assigned
        ? desk.service().filedBy(user, 0, 1)
        : desk.service().assignedTo(user, 0, 1);
    return Future.all(listed, other).map(v -> {
      Page<ServiceRequest> p = listed.result();
      String prefix = assigned ? "my:a:" : "my:r:";
      String text;
      if (p.total() == 0) {
        text = t.t(assigned ? "my.assigned.empty" : "my.empty");
      } else {
        text = t.t(assigned ? "my.assigned.title" : "my.title", "total", p.total(), "page", p.page() + 1, "pages", p.pages())
            + "\n\n" + lines(p, t);
      }
      List<List<Button>> rows = requestButtons(p, t);
      nav(rows, p, prefix, t);
      if (other.result().total() > 0) {
        rows.add(List.of(Keyboards.button(t.t(assigned ? "button.my.filed" : "button.my.assigned"),
            (assigned ? "my:r:" : "my:a:") + 0)));
      }
      return new Listing(text, rows);
    });
  }

  // ------------------------------------------------------------------ /find

  public Future<Void> find(UpdateContext ctx) {
    Texts t = texts(ctx);
    String query = ctx.commandArgs();
    if (query.isBlank()) {
      return ctx.reply(t.t("find.usage")).mapEmpty();
    }
    // the query is kept so the page buttons can carry only a page number (callback data is 64 bytes at most)
    DeskSession.part(ctx, "find_queries").put(String.valueOf(ctx.userId()), query);
    return findPage(ctx, query, 0)
        .compose(list -> new Outcome().message(list.text, list.keyboard).deliver(ctx));
  }

  /** {@code fd:<page>}: the results message turns to that page of the last query. */
  public Future<Void> findButton(UpdateContext ctx) {
    int page = parseInt(ctx.callbackData().substring("fd:".length()));
    Texts t = texts(ctx);
    String query = DeskSession.part(ctx, "find_queries").getString(String.valueOf(ctx.userId()));
    if (query == null) {
      return new Outcome().answer(t.t("button.stale"), false).deliver(ctx);
    }
    return findPage(ctx, query, page).compose(list -> new Outcome().answer(null, false).edit(list.text, list.keyboard).deliver(ctx));
  }

  private Future<Listing> findPage(UpdateContext ctx, String query, int page) {
    Texts t = texts(ctx);
    String shown = TextFit.cut(query, QUERY_SHOWN);
    return desk.service().searchVisible(actor(ctx), query, page, PAGE_SIZE).map(p -> {
      if (p.total() == 0) {
        return new Listing(t.t("find.none", "query", shown), List.of());
      }
      String text = t.t("find.title", "query", shown, "total", p.total(), "page", p.page() + 1, "pages", p.pages())
          + "\n\n" + lines(p, t);
      List<List<Button>> rows = requestButtons(p, t);
      nav(rows, p, "fd:", t);
      return new Listing(text, rows);
    });
  }


  // ------------------------------------------------------------------ list parts

  private static String lines(Page<ServiceRequest> p, Texts t) {
    StringBuilder b = new StringBuilder();
    int i = p.page() * p.size() + 1;
    for (ServiceRequest r : p.items()) {
      b.append(t.t("list.line", "n", i++, "number", r.number(), "status", t.status(r.status()),
          "title", TextFit.cut(r.title(), TITLE_SHOWN))).append('\n');
    }
    return b.toString().stripTrailing();
  }

  private static List<List<Button>> requestButtons(Page<ServiceRequest> p, Texts t) {
    List<List<Button>> rows = new ArrayList<>();
    for (ServiceRequest r : p.items()) {
      rows.add(List.of(Keyboards.button(r.number() + " · " + TextFit.cut(r.title(), BUTTON_TITLE), "rq:" + r.number())));
    }
    return rows;
  }

  private static void nav(List<List<Button>> rows, Page<ServiceRequest> p, String prefix, Texts t) {
    List<Button> nav = new ArrayList<>();
    if (p.page() > 0) {
      nav.add(Keyboards.button(t.t("button.prev"), prefix + (p.page() - 1)));
    }
    if (p.hasNext()) {
      nav.add(Keyboards.button(t.t("button.next"), prefix + (p.page() + 1)));
    }
    if (!nav.isEmpty()) {
      rows.add(nav);
    }
  }

  static int parseInt(String s) {
    try {
      return Math.max(0, Integer.parseInt(s));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
