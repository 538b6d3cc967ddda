package io.splitbot.worker.platform.telegram;

import io.splitbot.shared.log.Redactor;
import io.splitbot.shared.telegram.BotApiClient;
import io.splitbot.worker.bot.TextFit;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the worker tells and asks Telegram once at start: the command menu (setMyCommands, so the menu matches the
 * bot), and in webhook mode the webhook's state, in one line, since a silent bot is first debugged there. Neither
 * holds up start-up or stops it: Telegram being away only costs a warning.
 */
public final class StartupCalls {
  private static final Logger log = LoggerFactory.getLogger(StartupCalls.class);
  /** Telegram's rule for a menu command: 1-32 of a-z, 0-9 and _. */
  private static final Pattern COMMAND = Pattern.compile("[a-z0-9_]{1,32}");
  private static final int MAX_DESCRIPTION = 256;
  private static final int MAX_COMMANDS = 100;

  private StartupCalls() {
  }

  public static Future<Void> run(BotApiClient api, Map<String, String> menu, boolean webhook) {
    Future<Void> commands = setMyCommands(api, menu);
    return webhook ? commands.compose(v -> logWebhookInfo(api)) : commands;
  }

  static Future<Void> setMyCommands(BotApiClient api, Map<String, String> menu) {
    JsonArray commands = new JsonArray();
    menu.forEach((name, description) -> {
      if (!COMMAND.matcher(name).matches() || commands.size() == MAX_COMMANDS) {
        log.warn("command /{} is left out of the menu: Telegram takes at most {} commands of 1-32 a-z, 0-9 or _", name, MAX_COMMANDS);
        return;
      }
      String d = description == null || description.isBlank() ? name : description.strip();
      commands.add(new JsonObject().put("command", name).put("description", TextFit.cutUnits(d, MAX_DESCRIPTION)));
    });
    return api.call("setMyCommands", new JsonObject().put("commands", commands))
        .onSuccess(r -> log.info("command menu set: {} commands", commands.size()))
        .<Void>mapEmpty()
        .recover(e -> {
          log.warn("setMyCommands failed, the command menu is unchanged: {}", Redactor.mask(String.valueOf(e.getMessage())));
          return Future.succeededFuture();
        });
  }

  static Future<Void> logWebhookInfo(BotApiClient api) {
    return api.call("getWebhookInfo", new JsonObject()).<Void>map(r -> {
      JsonObject info = r instanceof JsonObject j ? j : new JsonObject();
      String error = info.getString("last_error_message");
      // The URL carries no secret (the secret travels in a header), but it names a host: log whether one is set.
      log.info("webhook: {}, pending_update_count={}, last_error_message={}",
          info.getString("url", "").isEmpty() ? "not set" : "set", info.getValue("pending_update_count"),
          error == null ? "none" : "'" + Redactor.mask(error) + "'");
      return null;
    }).recover(e -> {
      log.warn("getWebhookInfo failed: {}", Redactor.mask(String.valueOf(e.getMessage())));
      return Future.succeededFuture();
    });
  }
}
