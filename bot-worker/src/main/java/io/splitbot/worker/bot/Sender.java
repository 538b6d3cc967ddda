package io.splitbot.worker.bot;

/**
 * Who caused an update, in the same shape on every platform. Ids are the platform's own: Telegram user 5 and MAX
 * user 5 are two people, so anything keyed by a sender keys by {@code platform} too.
 *
 * @param languageCode an IETF tag such as "ru" or "en-US", or null when the platform does not say
 * @param bot true for another bot (its updates carry no profile worth keeping)
 */
public record Sender(String platform, long id, String firstName, String lastName, String username,
    String languageCode, boolean bot) {
}
