package io.splitbot.desk.bot;

import io.splitbot.worker.bot.UpdateContext;
import io.splitbot.desk.Desk;
import io.splitbot.desk.i18n.Texts;
import io.vertx.core.Future;

/** /start, /help and /echo. */
public final class HelpCommands {
  private final Desk desk;

  public HelpCommands(Desk desk) {
    this.desk = desk;
  }

  public Future<Void> start(UpdateContext ctx) {
    Texts t = desk.messages().forUser(ctx.languageCode());
    String name = ctx.from() == null || ctx.from().firstName() == null ? "" : ctx.from().firstName();
    return ctx.reply(t.t("start", "name", name).strip() + "\n\n" + help(ctx, t)).mapEmpty();
  }

  public Future<Void> help(UpdateContext ctx) {
    return ctx.reply(help(ctx, desk.messages().forUser(ctx.languageCode()))).mapEmpty();
  }

  private String help(UpdateContext ctx, Texts t) {
    String help = t.t("help");
    return ctx.userId() != null && desk.config().isAdmin(ctx.platform(), ctx.userId()) ? help + "\n" + t.t("help.admin") : help;
  }

  /** Answers with its argument: a quick way to see a round trip through the whole runtime. */
  public Future<Void> echo(UpdateContext ctx) {
    return ctx.reply(ctx.commandArgs().isEmpty() ? "Usage: /echo <text>" : ctx.commandArgs()).mapEmpty();
  }
}
