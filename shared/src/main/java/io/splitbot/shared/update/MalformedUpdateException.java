package io.splitbot.shared.update;

/** An update the runtime cannot route: its reason names the field, e.g. {@code callback_query.message.chat must be an object}. */
public final class MalformedUpdateException extends IllegalArgumentException {
  public MalformedUpdateException(String reason) {
    super(reason);
  }
}
