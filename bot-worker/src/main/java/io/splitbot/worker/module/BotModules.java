package io.splitbot.worker.module;

import io.splitbot.shared.config.ConfigException;
import io.splitbot.worker.bot.BotModule;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Supplier;

/**
 * Picks the bot to run: BOT_MODULE when set, else the one module on the classpath, else the bundled desk. The
 * choice is made before anything opens, so a wrong setting stops start-up with one line.
 */
public final class BotModules {
  /** The module bot-worker.jar runs when no other is on the classpath. */
  public static final String BUNDLED = "io.splitbot.desk.DeskModule";

  private BotModules() {
  }

  /** Selects from the modules {@link ServiceLoader} finds on the thread's class loader. */
  public static BotModule select(String botModule, ClassLoader loader) {
    List<ServiceLoader.Provider<BotModule>> found;
    try {
      found = ServiceLoader.load(BotModule.class, loader).stream()
          .sorted(Comparator.comparing(p -> p.type().getName()))
          .toList();
    } catch (ServiceConfigurationError e) {
      // A jar's services file names a class that is missing or no BotModule: a typo, or a jar built from stale sources.
      String reason = String.valueOf(e.getMessage()).replaceFirst("^" + BotModule.class.getName() + ": ", "");
      throw new ConfigException("a META-INF/services/" + BotModule.class.getName() + " file on the classpath names a class"
          + " that cannot be loaded: " + reason);
    }
    if (botModule != null && !botModule.isBlank()) {
      return named(botModule.trim(), found, loader);
    }
    List<ServiceLoader.Provider<BotModule>> others = found.stream().filter(p -> !p.type().getName().equals(BUNDLED)).toList();
    if (others.size() > 1) {
      throw new ConfigException("BOT_MODULE must name the bot to run: the classpath has several modules ("
          + String.join(", ", others.stream().map(p -> p.type().getName()).toList()) + ")");
    }
    if (others.size() == 1) {
      return instantiate(others.get(0).type().getName(), others.get(0)::get);
    }
    return named(BUNDLED, found, loader);
  }

  private static BotModule named(String name, List<ServiceLoader.Provider<BotModule>> found, ClassLoader loader) {
    for (ServiceLoader.Provider<BotModule> p : found) {
      if (p.type().getName().equals(name)) {
        return instantiate(name, p::get);
      }
    }
    // Not listed in META-INF/services: still accept a BotModule class on the classpath by its name.
    Class<?> type;
    try {
      type = Class.forName(name, false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      throw new ConfigException("BOT_MODULE names a class that is not on the classpath: '" + name + "'");
    }
    if (!BotModule.class.isAssignableFrom(type)) {
      throw new ConfigException("BOT_MODULE must name a class that implements " + BotModule.class.getName() + ", got '" + name + "'");
    }
    return instantiate(name, () -> {
      try {
        return (BotModule) type.getConstructor().newInstance();
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("it needs a public no-argument constructor", e);
      }
    });
  }

  private static BotModule instantiate(String name, Supplier<BotModule> make) {
    try {
      return make.get();
    } catch (RuntimeException | ServiceConfigurationError | LinkageError e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new ConfigException("bot module " + name + " could not be created: " + cause.getMessage());
    }
  }
}
