package io.splitbot.desk;

import io.splitbot.desk.i18n.Messages;
import io.splitbot.desk.storage.ServiceRequest;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a category, priority or status as people and older systems write it: the code ({@code in_progress}), its
 * name in any bundle ({@code В работе}, {@code In progress}), or an alias a bundle lists ({@code в работе},
 * {@code сантехника}, {@code обычный}). Case, surrounding spaces, {@code _}/{@code -} and {@code ё} don't matter.
 * What is stored is always the code.
 */
public final class Vocabulary {
  public enum Field {
    CATEGORY("category", ServiceRequest.CATEGORIES),
    PRIORITY("priority", ServiceRequest.PRIORITIES),
    STATUS("status", ServiceRequest.STATUSES);

    final String prefix;
    final List<String> codes;

    Field(String prefix, List<String> codes) {
      this.prefix = prefix;
      this.codes = codes;
    }

    public List<String> codes() {
      return codes;
    }

    public String fieldName() {
      return prefix;
    }
  }

  private final Map<Field, Map<String, String>> lookup = new HashMap<>();

  public Vocabulary(Messages messages) {
    for (Field field : Field.values()) {
      Map<String, String> words = new HashMap<>();
      for (String code : field.codes) {
        words.put(normalise(code), code);
        for (String lang : Messages.LANGUAGES) {
          var texts = messages.in(lang);
          String name = field.prefix + "." + code;
          if (texts.has(name)) {
            words.put(normalise(texts.t(name)), code);
          }
          if (texts.has(name + ".aliases")) {
            for (String alias : texts.t(name + ".aliases").split(",")) {
              if (!alias.isBlank()) {
                words.put(normalise(alias), code);
              }
            }
          }
        }
      }
      lookup.put(field, Map.copyOf(words));
    }
  }

  /** The code {@code value} stands for, or empty when it is none of the field's words. */
  public Optional<String> code(Field field, String value) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    return Optional.ofNullable(lookup.get(field).get(normalise(value)));
  }

  static String normalise(String s) {
    String n = s.strip().toLowerCase(Locale.ROOT).replace('ё', 'е').replace('_', ' ').replace('-', ' ');
    // drop a leading emoji or symbol a button label may carry
    n = n.replaceAll("^[^\\p{L}\\p{N}]+", "");
    return n.replaceAll("\\s+", " ");
  }
}
