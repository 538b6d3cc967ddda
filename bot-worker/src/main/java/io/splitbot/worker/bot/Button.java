package io.splitbot.worker.bot;

/**
 * An inline button: its label, and the callback data a press sends back (route it with {@code bot.callback}). Each
 * platform draws it its own way (Telegram's inline keyboard, MAX's keyboard attachment).
 */
public record Button(String text, String data) {
}
