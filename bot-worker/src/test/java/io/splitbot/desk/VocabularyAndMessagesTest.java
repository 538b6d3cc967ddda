package io.splitbot.desk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.desk.i18n.Messages;
import io.splitbot.desk.i18n.Texts;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The bundles are complete and consistent, and every word for a code, in any bundle, reads back as that code. */
class VocabularyAndMessagesTest {
  private final Messages messages = Messages.load("en");
  private final Vocabulary vocabulary = new Vocabulary(messages);

  @Test
  void placeholdersAreFilledInOnePassSoAValueIsNeverReadAsATemplate() {
    Texts en = messages.in("en");
    // a value that itself holds a placeholder is shown as typed, not filled with another value
    assertEquals("Step {of} of 5.", en.t("ask.step", "n", "{of}", "of", 5));
    assertEquals("Step 2 of {n}.", en.t("ask.step", "of", "{n}", "n", 2));
    assertEquals("Step 1 of {of}.", en.t("ask.step", "n", 1), "a placeholder without a value stays");
  }

  @Test
  void theLegacyBotsRussianNamesAndTheEnglishOnesReadAsCodes() {
    assertEquals(Optional.of("plumbing"), vocabulary.code(Vocabulary.Field.CATEGORY, "сантехника"));
    assertEquals(Optional.of("plumbing"), vocabulary.code(Vocabulary.Field.CATEGORY, " Сантехника "));
    assertEquals(Optional.of("normal"), vocabulary.code(Vocabulary.Field.PRIORITY, "обычный"));
    assertEquals(Optional.of("emergency"), vocabulary.code(Vocabulary.Field.PRIORITY, "Аварийный"));
    assertEquals(Optional.of("in_progress"), vocabulary.code(Vocabulary.Field.STATUS, "в работе"));
    assertEquals(Optional.of("in_progress"), vocabulary.code(Vocabulary.Field.STATUS, "In progress"));
    assertEquals(Optional.of("in_progress"), vocabulary.code(Vocabulary.Field.STATUS, "in-progress"));
    assertEquals(Optional.of("in_progress"), vocabulary.code(Vocabulary.Field.STATUS, "IN_PROGRESS"));
    assertEquals(Optional.of("done"), vocabulary.code(Vocabulary.Field.STATUS, "выполнена"));
    assertEquals(Optional.of("done"), vocabulary.code(Vocabulary.Field.STATUS, "Завершена"));
    assertEquals(Optional.of("cancelled"), vocabulary.code(Vocabulary.Field.STATUS, "отменена"));
    assertEquals(Optional.of("cancelled"), vocabulary.code(Vocabulary.Field.STATUS, "canceled"));
    assertEquals(Optional.of("electrical"), vocabulary.code(Vocabulary.Field.CATEGORY, "⚡ Электрика"));
    assertEquals(Optional.empty(), vocabulary.code(Vocabulary.Field.CATEGORY, "garden"));
    assertEquals(Optional.empty(), vocabulary.code(Vocabulary.Field.STATUS, ""));
    assertEquals(Optional.empty(), vocabulary.code(Vocabulary.Field.STATUS, null));
  }

  @Test
  void noWordStandsForTwoCodes() {
    for (Vocabulary.Field field : Vocabulary.Field.values()) {
      for (String code : field.codes()) {
        for (String lang : Messages.LANGUAGES) {
          Texts t = messages.in(lang);
          String key = field.fieldName() + "." + code;
          assertTrue(t.has(key), key + " missing in " + lang);
          assertEquals(Optional.of(code), vocabulary.code(field, t.t(key)), key + " in " + lang);
          if (t.has(key + ".aliases")) {
            for (String alias : t.t(key + ".aliases").split(",")) {
              assertEquals(Optional.of(code), vocabulary.code(field, alias), "alias '" + alias + "' of " + key + " (" + lang + ")");
            }
          }
        }
      }
    }
  }

  @Test
  void everyBundleHasEveryKeyWithTheSamePlaceholders() {
    Set<String> en = messages.keys("en");
    Set<String> ru = messages.keys("ru");
    Set<String> missing = new TreeSet<>(en);
    missing.removeAll(ru);
    assertEquals(Set.of(), missing, "keys missing from messages_ru.properties");
    Set<String> extra = new TreeSet<>(ru);
    extra.removeAll(en);
    assertEquals(Set.of(), extra, "keys only in messages_ru.properties");
    for (String key : en) {
      assertEquals(placeholders(messages.in("en").t(key)), placeholders(messages.in("ru").t(key)), "placeholders of " + key);
    }
  }

  @Test
  void languagesFollowTheLanguageCodeAndFallBackToTheDefault() {
    assertEquals("ru", messages.language("ru"));
    assertEquals("ru", messages.language("ru-RU"));
    assertEquals("en", messages.language("en-GB"));
    assertEquals("en", messages.language("uz"));
    assertEquals("en", messages.language(null));
    assertEquals("ru", Messages.load("ru").language("de"));
    assertEquals("Request 250927-001 created", messages.in("en").t("created.short", "number", "250927-001"));
    assertEquals("Заявка 250927-001 создана", messages.in("ru").t("created.short", "number", "250927-001"));
    assertEquals("Заявку нельзя перевести из «Выполнена» в «Новая».", messages.in("ru").reason("status.illegal", "from", "done", "to", "new"));
  }

  private static Set<String> placeholders(String text) {
    Set<String> out = new TreeSet<>();
    Matcher m = Pattern.compile("\\{([a-z_]+)}").matcher(text);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }
}
