package io.splitbot.worker.bot;

/**
 * A bot, as the runtime loads it. bot-worker.jar finds implementations with {@link java.util.ServiceLoader}: list
 * the class in {@code META-INF/services/io.splitbot.worker.bot.BotModule} of your jar and put the jar on the
 * classpath. With several on the classpath, {@code BOT_MODULE=<class name>} picks one; with none, the bundled
 * service desk runs.
 *
 * <pre>
 * public final class HelloModule implements BotModule {
 *   public Bot create(BotContext context) {
 *     return new Bot().command("start", "Say hello", ctx -> ctx.reply("Hello!"));
 *   }
 * }
 * </pre>
 *
 * <p>The class needs a public no-argument constructor. {@link #create} runs once at start-up, on an event loop:
 * read settings, open what the bot needs, and build the routing table; then the runtime starts delivering.
 */
public interface BotModule {
  /**
   * Builds the bot. A {@link io.splitbot.shared.config.ConfigException} (as {@code context.env()} throws for a bad
   * variable) stops start-up with its message; any other exception stops it with the module's name and the message.
   */
  Bot create(BotContext context) throws Exception;
}
