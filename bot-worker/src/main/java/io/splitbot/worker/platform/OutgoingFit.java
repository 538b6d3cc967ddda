package io.splitbot.worker.platform;

import io.splitbot.shared.retry.NoRetry;
import io.splitbot.worker.bot.TextFit;
import io.splitbot.worker.effects.GuardedSender;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where outgoing calls are fitted to the platform's limits ({@link PlatformLimits}). {@link #sender}
 * wraps each platform's client in {@link WorkerPlatforms#add}, and every call leaves through that client: a handler's
 * replies, edits and button answers, its raw {@code ctx.call(...)}, and a bot's {@code BotContext.api()} calls outside
 * an update. It sits there, under the bot API and over the clients, because that is the first point every way out
 * shares and the last that still knows the platform's call shapes (its {@link PlatformDialect} says where each text
 * and button sits); the clients stay transport. A text the platform would refuse as too long would otherwise fail the
 * update on every attempt until it became a dead letter.
 *
 * <ul>
 *   <li>A text, caption or button notice over its limit is cut on a code-point boundary with "…"
 *       ({@link TextFit#cutUnits}). Entities past the cut are dropped and one across it is shortened; a parse mode
 *       (Telegram's {@code parse_mode}, MAX's {@code format}) is dropped, since a cut can break the markup and a plain
 *       text is delivered where broken markup is refused.</li>
 *   <li>Lengths are counted in UTF-16 code units. Telegram counts a text in UTF-16 units after parsing its entities,
 *       and the text as sent is never shorter than the parsed one; MAX documents its limits in characters, and a text
 *       has never fewer UTF-16 units than code points. So a fitted text is within the limit either way, at the cost of
 *       cutting a markup-heavy text a little early.</li>
 *   <li>A button's callback data cannot be cut and still mean something: a call with data over the limit is refused
 *       before it is sent ({@link ButtonDataRefused}, naming the button), with no round trip, and the update goes to
 *       the dead letters at once instead of spending its attempts ({@link NoRetry}).</li>
 *   <li>Half a surrogate pair in any string becomes U+FFFD, which the platforms refuse as invalid UTF-8 otherwise.</li>
 * </ul>
 */
public final class OutgoingFit {
  private static final Logger log = LoggerFactory.getLogger(OutgoingFit.class);

  /** A button whose callback data is over the platform's limit: a bug in the bot, which no retry mends. */
  public static final class ButtonDataRefused extends IllegalArgumentException implements NoRetry {
    ButtonDataRefused(String message) {
      super(message);
    }
  }

  private final PlatformDialect dialect;
  private final String method;

  private OutgoingFit(PlatformDialect dialect, String method) {
    this.dialect = dialect;
    this.method = method;
  }

  /** {@code client}, with each call's parameters fitted to {@code dialect}'s limits before it is sent. */
  public static GuardedSender sender(PlatformDialect dialect, GuardedSender client) {
    return (method, params, guard) -> {
      JsonObject fitted;
      try {
        fitted = fit(dialect, method, params);
      } catch (RuntimeException e) {
        return Future.failedFuture(e);
      }
      return client.call(method, fitted, guard);
    };
  }

  /** A fitted copy of {@code params} ({@code params} itself is left as it is); throws {@link ButtonDataRefused}. */
  public static JsonObject fit(PlatformDialect dialect, String method, JsonObject params) {
    if (params == null) {
      return null;
    }
    JsonObject copy = mended(params);
    dialect.fit(method, copy, new OutgoingFit(dialect, method));
    return copy;
  }

  private PlatformLimits limits() {
    return dialect.limits();
  }

  /** A message's text at {@code holder.field}, with its entities and parse mode (either may be null). */
  public void text(JsonObject holder, String field, String entitiesField, String formatField) {
    cut(holder, field, limits().text(), entitiesField, formatField);
  }

  /** A media message's caption. */
  public void caption(JsonObject holder, String field, String entitiesField, String formatField) {
    cut(holder, field, limits().caption(), entitiesField, formatField);
  }

  /** The notice that answers a button press. */
  public void notice(JsonObject holder, String field) {
    cut(holder, field, limits().notice(), null, null);
  }

  /** A button's label, where the platform limits it. */
  public void buttonText(JsonObject button, String field) {
    if (limits().buttonText() > 0) {
      cut(button, field, limits().buttonText(), null, null);
    }
  }

  /**
   * A button's callback data: refused when over the limit (Telegram also takes no empty data). {@code row} and
   * {@code column} count from 1, to name the button in the error.
   */
  public void callbackData(JsonObject button, String dataField, String labelField, int row, int column) {
    if (!(button.getValue(dataField) instanceof String data)) {
      return;
    }
    PlatformLimits limits = limits();
    int size = limits.callbackDataInBytes() ? data.getBytes(StandardCharsets.UTF_8).length : data.length();
    if (size <= limits.callbackData() && !(limits.callbackDataInBytes() && size == 0)) {
      return;
    }
    String unit = limits.callbackDataInBytes() ? "bytes" : "characters";
    Object label = button.getValue(labelField);
    throw new ButtonDataRefused(method + " not sent: the button \"" + TextFit.cut(String.valueOf(label), 40) + "\" (row "
        + row + ", button " + column + ") has " + dataField + " of " + size + " " + unit + "; " + dialect.platform()
        + " takes 1-" + limits.callbackData() + " " + unit + ". Keep an id in the data and look the rest up.");
  }

  /** Each button of an inline keyboard's rows (an array of arrays of objects), with its row and column. */
  public static void eachButton(Object rows, ButtonVisitor visitor) {
    if (!(rows instanceof JsonArray lines)) {
      return;
    }
    for (int r = 0; r < lines.size(); r++) {
      if (lines.getValue(r) instanceof JsonArray line) {
        for (int c = 0; c < line.size(); c++) {
          if (line.getValue(c) instanceof JsonObject button) {
            visitor.visit(button, r + 1, c + 1);
          }
        }
      }
    }
  }

  /** One button of a keyboard. */
  @FunctionalInterface
  public interface ButtonVisitor {
    void visit(JsonObject button, int row, int column);
  }

  private void cut(JsonObject holder, String field, int limit, String entitiesField, String formatField) {
    if (holder == null || !(holder.getValue(field) instanceof String text) || text.length() <= limit) {
      return;
    }
    String fitted = TextFit.cutUnits(text, limit);
    holder.put(field, fitted);
    int kept = fitted.length() - TextFit.MARK.length();
    if (entitiesField != null && holder.getValue(entitiesField) instanceof JsonArray entities) {
      holder.put(entitiesField, entitiesWithin(entities, kept));
    }
    boolean formatDropped = formatField != null && holder.remove(formatField) != null;
    log.warn("{} to {}: {} of {} UTF-16 units cut to {}, the platform's limit{}", method, dialect.platform(), field,
        text.length(), limit, formatDropped ? "; its " + formatField + " dropped, as the cut may break the markup" : "");
  }

  /** Entities (offset and length in UTF-16 units) within the first {@code kept} units: later ones dropped, one across shortened. */
  private static JsonArray entitiesWithin(JsonArray entities, int kept) {
    JsonArray within = new JsonArray();
    for (Object e : entities) {
      if (e instanceof JsonObject entity && entity.getValue("offset") instanceof Number offset
          && entity.getValue("length") instanceof Number length) {
        if (offset.intValue() >= kept) {
          continue;
        }
        JsonObject copy = entity.copy();
        if (offset.intValue() + length.intValue() > kept) {
          copy.put("length", kept - offset.intValue());
        }
        within.add(copy);
      }
    }
    return within;
  }

  /** A deep copy with every lone surrogate in a string value replaced. */
  private static JsonObject mended(JsonObject object) {
    JsonObject out = new JsonObject();
    for (Map.Entry<String, Object> e : object) {
      out.put(e.getKey(), mendedValue(e.getValue()));
    }
    return out;
  }

  private static Object mendedValue(Object value) {
    if (value instanceof String s) {
      return TextFit.mend(s);
    }
    if (value instanceof JsonObject o) {
      return mended(o);
    }
    if (value instanceof JsonArray a) {
      JsonArray out = new JsonArray();
      a.forEach(item -> out.add(mendedValue(item)));
      return out;
    }
    return value;
  }
}
