package io.splitbot.shared.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.pattern.DynamicConverter;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The logging of the shipped jars (bot-worker.jar, webhook-server.jar), set up in code: reading a logback.xml took a
 * quarter of a start-up's Java time (XML parser, Joran; docs/BENCHMARKS.md). Listed in the jars'
 * META-INF/services, so logback runs it first; the plain jars, which are libraries, list nothing.
 *
 * <p>One console appender with {@link LogFormatEncoder} (LOG_FORMAT: {@code plain} lines or {@code json}), the
 * {@link LogContextTurboFilter}, splitbot's loggers at LOG_LEVEL (default INFO) and the libraries' noise turned down.
 * A {@code -Dlogback.configurationFile=...} still wins: then this steps aside for logback's own configurators.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class LogSetup extends ContextAwareBase implements Configurator {

  /** Levels other than the root's (INFO): the cluster engine says membership changes, the rest only when wrong. */
  private static final Map<String, Level> LEVELS = Map.of(
      "org.infinispan", Level.WARN,
      "org.infinispan.CLUSTER", Level.INFO,
      "org.infinispan.CONFIG", Level.ERROR,
      "org.jgroups", Level.WARN,
      "io.netty", Level.WARN,
      // vertx-micrometer re-registers an event-bus gauge when a consumer first answers; Micrometer warns, keeps the first
      "io.micrometer.core.instrument.MeterRegistry", Level.ERROR);

  /** The context this set up, or null when logging is configured otherwise (a logback.xml, another backend). */
  private static volatile LoggerContext configured;

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (System.getProperty(ContextInitializer.CONFIG_FILE_PROPERTY) != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    configured = context;
    LogContextTurboFilter fields = new LogContextTurboFilter();
    fields.setContext(context);
    fields.start();
    context.addTurboFilter(fields);
    // For any other appender a user adds: %msg and %ex mask secrets, %fields prints the log context.
    Map<String, Supplier<DynamicConverter<?>>> rules = new HashMap<>();
    rules.put("msg", MaskingMessageConverter::new);
    rules.put("ex", MaskingThrowableConverter::new);
    rules.put("fields", LogFieldsConverter::new);
    context.putObject(CoreConstants.PATTERN_RULE_REGISTRY_FOR_SUPPLIERS, rules);

    LogFormatEncoder encoder = new LogFormatEncoder();
    encoder.setContext(context);
    encoder.setFormat(setting("LOG_FORMAT", "plain"));
    encoder.start();
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName("STDOUT");
    console.setEncoder(encoder);
    console.start();

    context.getLogger("io.splitbot").setLevel(Level.toLevel(setting("LOG_LEVEL", "INFO"), Level.INFO));
    LEVELS.forEach((name, level) -> context.getLogger(name).setLevel(level));
    ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    root.addAppender(console);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /**
   * splitbot's loggers at WARN from now on, where this set logging up: for a command whose console output is its
   * answer (the sandbox prints its URL). A logging configuration of the user's own is left alone.
   */
  public static void quiet() {
    LoggerContext context = configured;
    if (context != null) {
      context.getLogger("io.splitbot").setLevel(Level.WARN);
    }
  }

  /** A system property, else the environment variable, as logback's {@code ${NAME:-default}} reads them. */
  private static String setting(String name, String fallback) {
    String value = System.getProperty(name);
    if (value == null) {
      value = System.getenv(name);
    }
    return value == null || value.isBlank() ? fallback : value;
  }
}
