package io.splitbot.desk.bot;

import io.splitbot.worker.bot.Bot;
import io.splitbot.worker.bot.KeyValueStore;
import io.splitbot.worker.bot.PlatformApi;
import io.splitbot.worker.bot.UpdateContext;
import io.splitbot.worker.bot.UpdateHandler;
import io.splitbot.desk.Desk;
import io.splitbot.desk.i18n.Texts;
import io.vertx.core.Future;
import java.util.function.Function;

/**
 * The service-request desk: the bot bot-worker.jar runs, the same on every platform (Telegram, MAX). Read this class
 * first: it is the whole routing table.
 *
 * <pre>
 * middleware   profile capture (who sent each update)
 * commands     /start /help /echo /new /cancel /my /status /find /assign
 * text         a reply to a request card → comment; otherwise the /new conversation's answer
 * buttons      new:… conversation · st:… status · rq:… card · my:… /my pages · fd:… /find pages
 *              an:… as:… ax:… executor picker
 * fallback     shared contacts (Telegram) and other messages → the conversation; unknown commands → a hint
 * </pre>
 */
public final class DeskBot {
  private DeskBot() {
  }

  /** A desk whose notifications reach only users of the platform each update comes from. */
  public static Bot create(Desk desk, KeyValueStore reservations) {
    return create(desk, reservations, BotOutbox.none());
  }

  /**
   * @param reservations the desk's own key-value store for the request numbers confirmations reserve
   * @param platforms each platform's API ({@code BotContext::api}), for notifications to users of another platform
   *     than the update's
   */
  public static Bot create(Desk desk, KeyValueStore reservations, Function<String, PlatformApi> platforms) {
    HelpCommands help = new HelpCommands(desk);
    NewRequestConversation conversation = new NewRequestConversation(desk, reservations, platforms);
    RequestViews views = new RequestViews(desk);
    RequestActions actions = new RequestActions(desk, platforms);

    Bot bot = new Bot();
    Texts menu = desk.messages().forUser(desk.config().defaultLanguage());
    bot.command("start", menu.t("menu.start"), help::start)
        .command("help", menu.t("menu.help"), help::help)
        .command("new", menu.t("menu.new"), conversation::start)
        .command("my", menu.t("menu.my"), views::my)
        .command("status", menu.t("menu.status"), views::status)
        .command("find", menu.t("menu.find"), views::find)
        .command("cancel", menu.t("menu.cancel"), conversation::cancel)
        .command("echo", menu.t("menu.echo"), help::echo)
        .command("assign", menu.t("menu.assign"), actions::assignCommand);

    bot.callback("new:", inChat(desk, conversation::button))
        .callback("st:", inChat(desk, actions::statusButton))
        .callback("rq:", inChat(desk, views::showButton))
        .callback("cp:", inChat(desk, views::cardPage))
        .callback("my:", inChat(desk, views::myButton))
        .callback("fd:", inChat(desk, views::findButton))
        .callback("an:", inChat(desk, actions::assignButton))
        .callback("as:", inChat(desk, actions::pickerPage))
        .callback("ax:", inChat(desk, actions::pick));

    bot.text(ctx -> {
      String number = RequestActions.repliedRequest(ctx);
      return number != null ? actions.comment(ctx, number) : conversation.message(ctx);
    });
    bot.fallback(ctx -> fallback(ctx, desk, conversation));
    return bot;
  }

  /** Every desk button sits on a message in a chat; one on an inline message (no chat) is only answered. */
  private static UpdateHandler inChat(Desk desk, UpdateHandler handler) {
    return ctx -> ctx.chatId() == null || ctx.userId() == null
        ? new Outcome().answer(desk.messages().forUser(ctx.languageCode()).t("button.stale"), false).deliver(ctx)
        : handler.handle(ctx);
  }

  private static Future<Void> fallback(UpdateContext ctx, Desk desk, NewRequestConversation conversation) {
    if (ctx.callbackData() != null) {
      return new Outcome().answer(desk.messages().forUser(ctx.languageCode()).t("button.stale"), false).deliver(ctx);
    }
    if (!ctx.isMessage() || ctx.chatId() == null || ctx.userId() == null) {
      return Future.succeededFuture(); // edits, channel posts, member updates: nothing to say
    }
    if (ctx.command() != null) {
      return ctx.reply(desk.messages().forUser(ctx.languageCode()).t("unknown")).mapEmpty();
    }
    return conversation.message(ctx); // a shared contact, a photo, ...
  }
}
