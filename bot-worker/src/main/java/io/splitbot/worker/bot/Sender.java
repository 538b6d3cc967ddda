package io.splitbot.worker.bot;

/**
 * Who caused an update, in the same shape on every platform. Ids are the platform's own: Telegram user 5 and MAX
 * user 5 are two people, so anything keyed by a sender keys by {@code platform} too.
 *
 * <p>A message posted on behalf of a chat (a channel, or a group's anonymous admin) has a chat as its sender: then
 * {@code id} is the chat's id (negative on Telegram), the name is its title and {@code chat} is true. Telegram puts
 * one shared placeholder user in {@code from} for all of those, so keying by it would make strangers one person.
 *
 * @param languageCode an IETF tag such as "ru" or "en-US", or null when the platform does not say
 * @param bot true for another bot (its updates carry no profile worth keeping)
 * @param chat true when a chat, not a person, is the sender
 */
public record Sender(String platform, long id, String firstName, String lastName, String username,
    String languageCode, boolean bot, boolean chat) {

  /** A person (or a bot). */
  public Sender(String platform, long id, String firstName, String lastName, String username, String languageCode,
      boolean bot) {
    this(platform, id, firstName, lastName, username, languageCode, bot, false);
  }
}
