package io.splitbot.worker.platform;

/**
 * What one call may carry on a platform, as its documentation gives it, for {@link OutgoingFit}. Texts are counted in
 * UTF-16 code units ({@code String.length()}); {@link OutgoingFit} says why that is safe on both platforms.
 *
 * @param text a message's text
 * @param caption a media message's caption
 * @param notice the short notice that answers a button press
 * @param callbackData a button's callback data (its payload): refused above this, never cut
 * @param callbackDataInBytes whether {@code callbackData} counts UTF-8 bytes (Telegram) rather than UTF-16 units (MAX)
 * @param buttonText a button's label; 0 when the platform documents no limit
 */
public record PlatformLimits(int text, int caption, int notice, int callbackData, boolean callbackDataInBytes,
    int buttonText) {
}
