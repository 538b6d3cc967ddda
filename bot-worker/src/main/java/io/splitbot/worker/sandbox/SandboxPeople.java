package io.splitbot.worker.sandbox;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Who the chat page offers in its switcher: a resident, an admin (the sandbox lists them in ADMIN_USER_IDS) and an
 * executor, each with a phone number for "share contact", and one group chat they share. Any other id, name and
 * language can be typed in the page.
 */
public final class SandboxPeople {
  /** One user of the switcher: {@code role} names their part, {@code about} says what it means at the desk. */
  public record Person(long id, String firstName, String lastName, String languageCode, String phone, String role,
      String about) {
    JsonObject json() {
      return new JsonObject().put("id", id).put("first_name", firstName).put("last_name", lastName)
          .put("language_code", languageCode).put("phone_number", phone).put("role", role).put("about", about);
    }
  }

  public static final Person RESIDENT = new Person(1001, "Anna", "Resident", "en", "+15550001001", "resident",
      "Files repair requests with /new and hears how they go.");
  public static final Person ADMIN = new Person(1002, "Boris", "Admin", "en", "+15550001002", "admin",
      "In ADMIN_USER_IDS: hears of every new request, assigns executors, changes statuses.");
  public static final Person EXECUTOR = new Person(1003, "Victor", "Fixer", "en", "+15550001003", "executor",
      "Does the work: once he has sent /start, the admin can assign him a request.");
  public static final List<Person> ALL = List.of(RESIDENT, ADMIN, EXECUTOR);

  /** The group chat: a Bot API {@code Chat} of type group (a negative id, as Telegram's basic groups have). */
  public static final JsonObject GROUP = new JsonObject().put("id", -4001L).put("type", "group").put("title", "House 12 chat");

  private SandboxPeople() {
  }

  /** What the page's switcher starts from. */
  static JsonObject json() {
    JsonArray people = new JsonArray();
    ALL.forEach(p -> people.add(p.json()));
    return new JsonObject().put("users", people).put("group", GROUP.copy());
  }
}
