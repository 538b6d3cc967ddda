package io.splitbot.desk.bot;

import io.splitbot.worker.bot.UpdateContext;
import io.splitbot.desk.Desk;
import io.splitbot.desk.DeskService;
import io.splitbot.desk.RequestDraft;
import io.splitbot.desk.RequestFields;
import io.splitbot.desk.Vocabulary;
import io.splitbot.desk.i18n.Texts;
import io.splitbot.worker.bot.KeyValueStore;
import io.splitbot.desk.storage.DeskKinds;
import io.splitbot.desk.storage.ServiceRequest;
import io.splitbot.desk.storage.UserRef;
import io.splitbot.worker.bot.Button;
import io.splitbot.worker.bot.TextFit;
import io.splitbot.worker.bot.PlatformApi;
import io.splitbot.worker.storage.model.UserProfile;
import io.splitbot.worker.storage.model.Values;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The /new conversation: title, description, address, apartment, category, priority, phone, contact name, then a
 * summary with Confirm, Edit and Cancel. A wrong answer is asked again with the reason; /cancel ends it at any step.
 * The same on every platform, but for the phone: Telegram offers its "share my phone number" button in a private
 * chat (and takes the button away after), elsewhere the phone is typed.
 *
 * <p>The state (step, answers so far) lives in the chat's session, one entry per user, so the conversation survives
 * a worker restart and works across workers. Each update moves it by one transition, computed inside {@code
 * ctx.once} together with what to show the user; the session keeps the new state only when the update succeeds, so a
 * failed attempt starts again from the state before it. Confirm keeps the request number it reserves in the desk's
 * {@code reservations} store at once, keyed by the draft, so a repeat after a crash can never take a second number
 * or create a second request.
 */
public final class NewRequestConversation {
  static final String SUMMARY = "summary";
  /**
   * How much of the description the summary repeats, in code points: with the other fields at their longest it stays
   * within one message even in emoji (two UTF-16 units each). The user typed it just above, and the card shows it all.
   */
  static final int SUMMARY_DESCRIPTION = 1200;
  static final String EDIT = "edit";
  static final String DONE = "done";
  static final List<String> FIELDS = RequestFields.CONVERSATION_ORDER;

  private final Desk desk;
  private final KeyValueStore reservations;
  private final Function<String, PlatformApi> platforms;

  /**
   * @param reservations where a confirmation keeps the number it reserved, before it creates the request
   * @param platforms each platform's API, for telling admins of other platforms about a new request
   */
  public NewRequestConversation(Desk desk, KeyValueStore reservations, Function<String, PlatformApi> platforms) {
    this.desk = desk;
    this.reservations = reservations;
    this.platforms = platforms;
  }

  /** Where a conversation is: its step and data. */
  private record State(String step, JsonObject data) {
    static State idle() {
      return new State(DONE, new JsonObject());
    }

    static State fromJson(JsonObject json) {
      return json == null ? idle() : new State(json.getString("step", DONE), json.getJsonObject("data", new JsonObject()).copy());
    }

    JsonObject toJson() {
      return new JsonObject().put("step", step).put("data", data);
    }

    boolean active() {
      return !DONE.equals(step);
    }

    JsonObject draft() {
      JsonObject d = data.getJsonObject("draft");
      if (d == null) {
        d = new JsonObject();
        data.put("draft", d);
      }
      return d;
    }

    int version() {
      return data.getInteger("version", 0);
    }

    boolean editing() {
      return data.getBoolean("editing", false);
    }

    /** The conversation's platform; Telegram's for a state kept before there were platforms. */
    boolean telegram() {
      return TelegramOnly.PLATFORM.equals(data.getString("platform", TelegramOnly.PLATFORM));
    }

    /** Whether the phone question offers Telegram's share-contact button: in a private Telegram chat. */
    boolean shareContact() {
      return telegram() && data.getBoolean("private_chat", true);
    }
  }

  /** A transition's result: the state to save (null: leave the stored state alone) and what to show. */
  private record Next(State state, Outcome outcome) {
  }

  @FunctionalInterface
  private interface Transition {
    Future<Next> apply(State current, Texts t);
  }

  // ------------------------------------------------------------------ entry points

  /** /new: a fresh draft (a conversation already running starts over). */
  public Future<Void> start(UpdateContext ctx) {
    // Earlier drafts' reservations are done with: their requests exist, or those drafts can no longer be confirmed.
    return forgetReservations(ctx).compose(v -> run(ctx, "conversation:new", (s, t) -> {
      // Telegram offers "share contact" in private chats only; elsewhere, and on other platforms, the phone is typed
      boolean privateChat = TelegramOnly.privateChat(ctx);
      // the draft is named after the update that began it: a confirmation's number is reserved under that name
      State fresh = new State("title", new JsonObject().put("draft", new JsonObject()).put("version", 0)
          .put("platform", ctx.platform()).put("private_chat", privateChat).put("draft_id", ctx.updateKey()));
      Outcome o = new Outcome();
      prompt(o, fresh, "title", t, s.active() ? t.t("new.restart") : t.t("new.intro"));
      return Future.succeededFuture(new Next(fresh, o));
    }));
  }

  private Future<Void> forgetReservations(UpdateContext ctx) {
    return reservations.list(reservationPrefix(ctx)).compose(held ->
        Future.all(held.stream().map(e -> reservations.delete(e.key())).toList())).mapEmpty();
  }

  /**
   * Where a user's reservations in a chat are kept: {@code <chat>:<user>:} on Telegram, as before there were
   * platforms, and {@code <platform>:<chat>:<user>:} elsewhere, since chat and user ids repeat across platforms.
   */
  private static String reservationPrefix(UpdateContext ctx) {
    return (TelegramOnly.on(ctx) ? "" : ctx.platform() + ":") + ctx.chatId() + ":" + ctx.userId() + ":";
  }

  /** /cancel. */
  public Future<Void> cancel(UpdateContext ctx) {
    return run(ctx, "conversation:cancel", (s, t) -> {
      // a share-contact keyboard left on screen goes away
      JsonObject extra = TelegramOnly.on(ctx) ? TelegramOnly.removeKeyboard() : null;
      if (!s.active()) {
        return Future.succeededFuture(new Next(null, new Outcome().message(t.t("cancel.nothing"), null, extra)));
      }
      return Future.succeededFuture(new Next(new State(DONE, new JsonObject()),
          new Outcome().message(t.t("cancel.done"), null, extra)));
    });
  }

  /** A message that is not a command: an answer when a conversation is running, else a hint. */
  public Future<Void> message(UpdateContext ctx) {
    String text = ctx.text();
    String sharedPhone = TelegramOnly.sharedPhone(ctx);
    return run(ctx, "conversation:answer", (s, t) -> {
      if (!s.active()) {
        Outcome o = new Outcome();
        if (text != null) {
          o.message(t.t("unknown"));
        }
        return Future.succeededFuture(new Next(null, o));
      }
      if (SUMMARY.equals(s.step) || EDIT.equals(s.step)) {
        return Future.succeededFuture(new Next(null, new Outcome().message(t.t("summary.use_buttons"))));
      }
      return answer(ctx, s, t, s.step, text, sharedPhone);
    });
  }

  /** A button of the conversation: {@code new:<action>[:<arg>]}. */
  public Future<Void> button(UpdateContext ctx) {
    String data = ctx.callbackData();
    String[] parts = data.split(":", 3);
    String action = parts.length > 1 ? parts[1] : "";
    String arg = parts.length > 2 ? parts[2] : "";
    return run(ctx, "conversation:" + action, (s, t) -> switch (action) {
      case "cat" -> choose(ctx, s, t, "category", arg);
      case "pri" -> choose(ctx, s, t, "priority", arg);
      case "name" -> useProfileName(ctx, s, t);
      case "ok" -> confirm(ctx, s, t, arg);
      case "edit" -> chooseField(s, t, arg);
      case "f" -> editField(s, t, arg);
      case "back" -> backToSummary(s, t);
      case "no" -> cancelFromSummary(s, t, arg);
      default -> Future.succeededFuture(new Next(null, new Outcome().answer(t.t("button.stale"), false)));
    }).compose(v -> Future.succeededFuture());
  }

  // ------------------------------------------------------------------ the skeleton

  private Future<Void> run(UpdateContext ctx, String label, Transition transition) {
    String user = String.valueOf(ctx.userId());
    JsonObject conversations = DeskSession.part(ctx, "conversations");
    State current = State.fromJson(conversations.getJsonObject(user));
    Texts t = desk.messages().forUser(ctx.languageCode());
    return Exactly.once(ctx, label, () -> transition.apply(current, t).map(next -> new JsonObject()
        .put("shown", next.outcome.toJson())
        .put("state", next.state == null ? null : next.state.toJson())))
        .compose(result -> {
          JsonObject state = result.getJsonObject("state");
          if (state != null) {
            conversations.put(user, state);
          }
          JsonObject shown = result.getJsonObject("shown");
          return Outcome.fromJson(shown).deliver(ctx).compose(v -> afterwards(ctx, shown));
        });
  }

  /** After a confirmed request is shown to its requester: the admins hear of it. */
  private Future<Void> afterwards(UpdateContext ctx, JsonObject shown) {
    JsonObject created = shown.getJsonObject("created");
    if (created == null) {
      return Future.succeededFuture();
    }
    return desk.notifier().created(DeskKinds.REQUESTS.fromJson(created), BotOutbox.of(ctx, platforms));
  }

  // ------------------------------------------------------------------ answers

  /** {@code sharedPhone}: the number of a contact shared with Telegram's button, else null. */
  private Future<Next> answer(UpdateContext ctx, State s, Texts t, String field, String text, String sharedPhone) {
    Vocabulary vocabulary = desk.vocabulary();
    switch (field) {
      case "category", "priority" -> {
        Vocabulary.Field f = field.equals("category") ? Vocabulary.Field.CATEGORY : Vocabulary.Field.PRIORITY;
        Optional<String> code = text == null ? Optional.empty() : vocabulary.code(f, text);
        if (code.isEmpty()) {
          return reask(s, t, field, t.t("error.use_buttons"));
        }
        return accept(ctx, s, t, field, code.get(), new Outcome());
      }
      case "phone" -> {
        RequestFields.Checked c;
        if (sharedPhone != null) {
          c = RequestFields.sharedPhone(sharedPhone);
        } else if (text != null) {
          c = RequestFields.phone(text);
        } else {
          return reask(s, t, field, t.t("error.text_expected"));
        }
        if (!c.ok()) {
          return reask(s, t, field, t.t(c.error().reason(), c.error().args()));
        }
        // the share-contact keyboard goes away once the phone is in
        Outcome o = new Outcome().message(t.t("phone.saved", "phone", c.value()), null,
            s.telegram() ? TelegramOnly.removeKeyboard() : null);
        return accept(ctx, s, t, field, c.value(), o);
      }
      default -> {
        if (text == null) {
          return reask(s, t, field, t.t("error.text_expected"));
        }
        RequestFields.Checked c = RequestFields.text(field, text);
        if (!c.ok()) {
          return reask(s, t, field, t.t(c.error().reason(), c.error().args()));
        }
        return accept(ctx, s, t, field, c.value(), new Outcome());
      }
    }
  }

  /** Stores the answer and moves on: to the next question, or back to the summary when editing one field. */
  private Future<Next> accept(UpdateContext ctx, State s, Texts t, String field, String value, Outcome o) {
    JsonObject data = s.data.copy();
    State next = new State(s.step, data);
    next.draft().put(field, value);
    if (s.editing() || field.equals(FIELDS.get(FIELDS.size() - 1))) {
      data.put("editing", false).put("version", s.version() + 1);
      State summary = new State(SUMMARY, data);
      summary(o, summary, t);
      return Future.succeededFuture(new Next(summary, o));
    }
    String nextField = FIELDS.get(FIELDS.indexOf(field) + 1);
    State asking = new State(nextField, data);
    return profileName(ctx).map(name -> {
      prompt(o, asking, nextField, t, null, name);
      return new Next(asking, o);
    });
  }

  private Future<Next> reask(State s, Texts t, String field, String reason) {
    Outcome o = new Outcome();
    return Future.succeededFuture(new Next(null, prompt(o, s, field, t, reason, s.data.getString("profile_name"))));
  }

  private Future<Next> choose(UpdateContext ctx, State s, Texts t, String field, String code) {
    List<String> codes = field.equals("category") ? ServiceRequest.CATEGORIES : ServiceRequest.PRIORITIES;
    if (!field.equals(s.step) || !codes.contains(code)) {
      return stale(t);
    }
    String label = field.equals("category") ? t.category(code) : t.priority(code);
    Outcome o = new Outcome().answer(label, false).edit(t.t("chosen." + field, "value", label), null);
    return accept(ctx, s, t, field, code, o);
  }

  private Future<Next> useProfileName(UpdateContext ctx, State s, Texts t) {
    if (!"contact_name".equals(s.step)) {
      return stale(t);
    }
    return profileName(ctx).compose(name -> {
      if (name == null) {
        return stale(t);
      }
      Outcome o = new Outcome().answer(name, false).edit(t.t("chosen.contact_name", "value", name), null);
      return accept(ctx, s, t, "contact_name", name, o);
    });
  }

  // ------------------------------------------------------------------ summary, edit, confirm

  private Future<Next> chooseField(State s, Texts t, String version) {
    if (!SUMMARY.equals(s.step) || !String.valueOf(s.version()).equals(version)) {
      return stale(t);
    }
    List<Button> fields = new ArrayList<>();
    FIELDS.forEach(f -> fields.add(Keyboards.button(t.t("field." + f), "new:f:" + f)));
    List<List<Button>> rows = new ArrayList<>(Keyboards.grid(fields, 2));
    rows.add(List.of(Keyboards.button(t.t("button.back"), "new:back")));
    Outcome o = new Outcome().answer(null, false).edit(summaryText(s, t) + "\n\n" + t.t("edit.choose"), rows);
    return Future.succeededFuture(new Next(new State(EDIT, s.data.copy()), o));
  }

  private Future<Next> editField(State s, Texts t, String field) {
    if (!EDIT.equals(s.step) || !FIELDS.contains(field)) {
      return stale(t);
    }
    JsonObject data = s.data.copy().put("editing", true);
    State editing = new State(field, data);
    Outcome o = new Outcome().answer(null, false).edit(summaryText(s, t) + "\n\n" + t.t("edit.editing", "field", t.t("field." + field)), null);
    prompt(o, editing, field, t, null, s.data.getString("profile_name"));
    return Future.succeededFuture(new Next(editing, o));
  }

  private Future<Next> backToSummary(State s, Texts t) {
    if (!EDIT.equals(s.step)) {
      return stale(t);
    }
    State summary = new State(SUMMARY, s.data.copy());
    Outcome o = new Outcome().answer(null, false).edit(summaryText(summary, t), summaryKeyboard(summary, t));
    return Future.succeededFuture(new Next(summary, o));
  }

  private Future<Next> cancelFromSummary(State s, Texts t, String version) {
    if (!(SUMMARY.equals(s.step) || EDIT.equals(s.step)) || !String.valueOf(s.version()).equals(version)) {
      return stale(t);
    }
    Outcome o = new Outcome().answer(t.t("cancel.done"), false).edit(summaryText(s, t) + "\n\n" + t.t("summary.cancelled"), null);
    return Future.succeededFuture(new Next(new State(DONE, new JsonObject()), o));
  }

  private Future<Next> confirm(UpdateContext ctx, State s, Texts t, String version) {
    if (!SUMMARY.equals(s.step) || !String.valueOf(s.version()).equals(version)) {
      return stale(t);
    }
    String key = reservationPrefix(ctx) + s.data.getValue("draft_id", 0L);
    RequestDraft draft = draftOf(s);
    return desk.service().create(draft, new UserRef(ctx.platform(), ctx.userId()), new StoredReservation(key)).map(request -> {
      Outcome o = new Outcome()
          .answer(t.t("created.short", "number", request.number()), false)
          .edit(summaryText(s, t) + "\n\n" + t.t("summary.confirmed", "number", request.number()), null)
          .message(t.t("created", "number", request.number()))
          .put("created", DeskKinds.REQUESTS.toJson(request));
      return new Next(new State(DONE, new JsonObject().put("number", request.number())), o);
    });
  }

  /**
   * The number a confirmation holds, kept in the reservations store under the draft's name: the first attempt
   * reserves one and saves it before creating, and any repeat creates under the same number.
   */
  private final class StoredReservation implements DeskService.Reservation {
    private final String key;

    StoredReservation(String key) {
      this.key = key;
    }

    @Override
    public Future<DeskService.Reserved> current() {
      return reservations.get(key).compose(held -> held == null
          ? renew()
          : Future.succeededFuture(new DeskService.Reserved(held.getString("number"), Values.parseInstant("created_at", held.getString("created_at")))));
    }

    @Override
    public Future<DeskService.Reserved> renew() {
      return desk.service().nextNumber().compose(number -> {
        Instant now = Values.now();
        JsonObject held = new JsonObject().put("number", number).put("created_at", Values.format(now));
        return reservations.put(key, held).map(v -> new DeskService.Reserved(number, now));
      });
    }
  }

  private RequestDraft draftOf(State s) {
    JsonObject d = s.draft();
    String priority = d.getString("priority", "normal");
    return new RequestDraft(d.getString("title"), d.getString("description"), d.getString("address"),
        d.getString("apartment"), d.getString("category", "other"), priority, d.getString("phone"),
        d.getString("contact_name"), "emergency".equals(priority), null, null);
  }

  // ------------------------------------------------------------------ what the user sees

  private Outcome prompt(Outcome o, State s, String field, Texts t, String before) {
    return prompt(o, s, field, t, before, s.data.getString("profile_name"));
  }

  /**
   * Asks for {@code field}: the question, with the reason first when re-asking, and the field's buttons. On Telegram
   * the phone question brings the share-contact keyboard (in a private chat) and the other questions take it away;
   * where there is no such button, the question says to type the number.
   */
  private Outcome prompt(Outcome o, State s, String field, Texts t, String before, String profileName) {
    StringBuilder text = new StringBuilder();
    if (before != null) {
      text.append(before).append("\n\n");
    }
    if (!s.editing()) {
      text.append(t.t("ask.step", "n", FIELDS.indexOf(field) + 1, "of", FIELDS.size())).append(' ');
    }
    boolean share = field.equals("phone") && s.shareContact();
    text.append(t.t(field.equals("phone") && !share ? "ask.phone.typed" : "ask." + field));
    List<List<Button>> rows = switch (field) {
      case "category" -> choices(ServiceRequest.CATEGORIES, "new:cat:", t::category);
      case "priority" -> choices(ServiceRequest.PRIORITIES, "new:pri:", t::priority);
      case "contact_name" -> profileName == null ? null : Keyboards.column(Keyboards.button("👤 " + profileName, "new:name"));
      default -> null;
    };
    // Telegram's reply keyboard: the share-contact one for the phone, gone for typed answers, as it was
    JsonObject extra = !s.telegram() ? null : switch (field) {
      case "phone" -> share ? TelegramOnly.shareContact(t.t("button.share_phone")) : TelegramOnly.removeKeyboard();
      case "category", "priority", "contact_name" -> null;
      default -> TelegramOnly.removeKeyboard();
    };
    if (field.equals("contact_name") && profileName != null) {
      s.data.put("profile_name", profileName);
    }
    return o.message(text.toString(), rows, extra);
  }

  private static List<List<Button>> choices(List<String> codes, String prefix, Function<String, String> label) {
    return Keyboards.grid(codes.stream().map(c -> Keyboards.button(label.apply(c), prefix + c)).toList(), 2);
  }

  private void summary(Outcome o, State s, Texts t) {
    o.message(summaryText(s, t), summaryKeyboard(s, t));
  }

  private String summaryText(State s, Texts t) {
    JsonObject d = s.draft();
    return t.t("summary.title") + "\n\n"
        + t.t("field.title") + ": " + d.getString("title", "—") + "\n"
        + t.t("field.description") + ": " + TextFit.cut(d.getString("description", "—"), SUMMARY_DESCRIPTION) + "\n"
        + t.t("field.address") + ": " + d.getString("address", "—") + "\n"
        + t.t("field.apartment") + ": " + d.getString("apartment", "—") + "\n"
        + t.t("field.category") + ": " + t.category(d.getString("category")) + "\n"
        + t.t("field.priority") + ": " + t.priority(d.getString("priority")) + "\n"
        + t.t("field.phone") + ": " + d.getString("phone", "—") + "\n"
        + t.t("field.contact_name") + ": " + d.getString("contact_name", "—");
  }

  private List<List<Button>> summaryKeyboard(State s, Texts t) {
    int v = s.version();
    return Keyboards.row(
        Keyboards.button(t.t("button.confirm"), "new:ok:" + v),
        Keyboards.button(t.t("button.edit"), "new:edit:" + v),
        Keyboards.button(t.t("button.cancel"), "new:no:" + v));
  }

  private Future<Next> stale(Texts t) {
    return Future.succeededFuture(new Next(null, new Outcome().answer(t.t("button.stale"), false)));
  }

  /**
   * The name to offer as the contact: the user's profile name, if their platform gave one and the profile integration
   * reaches them (PROFILE_INTEGRATION_ROLLOUT_PERCENTAGE); else they type it.
   */
  private Future<String> profileName(UpdateContext ctx) {
    return desk.profiles().integrated(ctx.platform(), ctx.userId()).map(p -> p.filter(u -> u.firstName() != null || u.lastName() != null)
        .map(UserProfile::displayName).orElse(null));
  }
}
