package io.splitbot.worker.module;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.shared.config.ConfigException;
import org.junit.jupiter.api.Test;

class ModuleFailedExceptionTest {
  @Test
  void namesTheModuleAndEveryCauseOnOneLine() {
    ModuleFailedException e = new ModuleFailedException("com.example.Bot",
        new ExceptionInInitializerError(new IllegalStateException("no GREETING set\n  (see the README)")));
    assertEquals("bot module com.example.Bot failed to start: ExceptionInInitializerError, caused by "
        + "IllegalStateException: no GREETING set (see the README)", e.getMessage());
    assertFalse(e.configuration());
  }

  @Test
  void aBadSettingIsAConfigurationErrorInItsOwnWords() {
    ModuleFailedException e = new ModuleFailedException("com.example.Bot", new ConfigException("STEP must be a whole number, got 'x'"));
    assertEquals("STEP must be a whole number, got 'x'", e.getMessage());
    assertTrue(e.configuration());
  }
}
