package io.splitbot.worker.module;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.shared.config.ConfigException;
import io.splitbot.worker.bot.Bot;
import io.splitbot.worker.bot.BotContext;
import io.splitbot.worker.bot.BotModule;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BotModulesTest {
  public static final class First implements BotModule {
    @Override
    public Bot create(BotContext context) {
      return new Bot();
    }
  }

  public static final class Second implements BotModule {
    @Override
    public Bot create(BotContext context) {
      return new Bot();
    }
  }

  public static final class Broken implements BotModule {
    public Broken() {
      throw new IllegalStateException("no GREETING set");
    }

    @Override
    public Bot create(BotContext context) {
      return new Bot();
    }
  }

  @TempDir
  Path dir;

  /** The test classpath (which lists the desk) plus a jar-like folder whose service file lists {@code modules}. */
  private ClassLoader withModules(Class<?>... modules) throws IOException {
    return withServiceFile(List.of(modules).stream().map(Class::getName).toList());
  }

  private ClassLoader withServiceFile(List<String> lines) throws IOException {
    Path services = dir.resolve("META-INF/services");
    Files.createDirectories(services);
    Files.write(services.resolve(BotModule.class.getName()), lines);
    return new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader());
  }

  @Test
  void theDeskRunsWhenNoOtherModuleIsFound() {
    assertEquals(BotModules.BUNDLED, BotModules.select(null, getClass().getClassLoader()).getClass().getName());
  }

  @Test
  void theOneOtherModuleIsChosenOverTheDesk() throws IOException {
    assertInstanceOf(First.class, BotModules.select(null, withModules(First.class)));
  }

  @Test
  void twoModulesWithoutBotModuleStopStartUpNamingBoth() throws IOException {
    ConfigException e = assertThrows(ConfigException.class, () -> BotModules.select(null, withModules(Second.class, First.class)));
    assertTrue(e.getMessage().startsWith("BOT_MODULE must name the bot to run"), e.getMessage());
    assertTrue(e.getMessage().contains(First.class.getName() + ", " + Second.class.getName()), e.getMessage());
  }

  @Test
  void botModulePicksOneOfSeveral() throws IOException {
    assertInstanceOf(Second.class, BotModules.select(Second.class.getName(), withModules(First.class, Second.class)));
    assertEquals(BotModules.BUNDLED, BotModules.select(BotModules.BUNDLED, withModules(First.class)).getClass().getName());
  }

  @Test
  void botModuleMayNameAClassNoServiceFileLists() {
    assertInstanceOf(First.class, BotModules.select(First.class.getName(), getClass().getClassLoader()));
  }

  @Test
  void aMissingOrWrongClassNamesTheVariable() {
    ConfigException missing = assertThrows(ConfigException.class, () -> BotModules.select("com.example.Missing", getClass().getClassLoader()));
    assertEquals("BOT_MODULE names a class that is not on the classpath: 'com.example.Missing'", missing.getMessage());
    ConfigException wrong = assertThrows(ConfigException.class, () -> BotModules.select("java.lang.String", getClass().getClassLoader()));
    assertEquals("BOT_MODULE must name a class that implements io.splitbot.worker.bot.BotModule, got 'java.lang.String'", wrong.getMessage());
  }

  @Test
  void aServicesFileNamingAMissingClassIsAConfigurationError() throws IOException {
    ClassLoader typo = withServiceFile(List.of(First.class.getName() + "x"));
    ConfigException e = assertThrows(ConfigException.class, () -> BotModules.select(null, typo));
    assertEquals("a META-INF/services/io.splitbot.worker.bot.BotModule file on the classpath names a class that cannot be"
        + " loaded: Provider " + First.class.getName() + "x not found", e.getMessage());
  }

  @Test
  void aModuleThatCannotBeCreatedSaysWhy() throws IOException {
    ConfigException e = assertThrows(ConfigException.class, () -> BotModules.select(null, withModules(Broken.class)));
    assertEquals("bot module " + Broken.class.getName() + " could not be created: no GREETING set", e.getMessage());
  }
}
