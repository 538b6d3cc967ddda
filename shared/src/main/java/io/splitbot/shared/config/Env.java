package io.splitbot.shared.config;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Typed, validated reads of environment variables. Every failure names the variable. */
public final class Env {
  private final Map<String, String> vars;

  /** The environment as splitbot reads it: the seed bots' own names for its settings included ({@link SeedVariables}). */
  public Env(Map<String, String> vars) {
    this.vars = SeedVariables.apply(vars);
  }

  public boolean isSet(String name) {
    String v = vars.get(name);
    return v != null && !v.isBlank();
  }

  public String string(String name, String fallback) {
    return isSet(name) ? vars.get(name).trim() : fallback;
  }

  /** A secret: read as is, never echoed in an error. */
  public String secret(String name) {
    return isSet(name) ? vars.get(name).trim() : null;
  }

  public int integer(String name, int fallback, int min, int max) {
    if (!isSet(name)) {
      return fallback;
    }
    String raw = vars.get(name).trim();
    try {
      int v = Integer.parseInt(raw);
      if (v < min || v > max) {
        throw new ConfigException(name + " must be between " + min + " and " + max + ", got " + v);
      }
      return v;
    } catch (NumberFormatException e) {
      throw new ConfigException(name + " must be a whole number, got '" + raw + "'");
    }
  }

  public double decimal(String name, double fallback, double min, double max) {
    if (!isSet(name)) {
      return fallback;
    }
    String raw = vars.get(name).trim();
    try {
      double v = Double.parseDouble(raw);
      if (!(v >= min && v <= max)) {
        throw new ConfigException(name + " must be between " + min + " and " + max + ", got " + raw);
      }
      return v;
    } catch (NumberFormatException e) {
      throw new ConfigException(name + " must be a number, got '" + raw + "'");
    }
  }

  public boolean bool(String name, boolean fallback) {
    if (!isSet(name)) {
      return fallback;
    }
    return parseBool(name, vars.get(name));
  }

  static boolean parseBool(String name, String value) {
    switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "true": case "1": case "yes": return true;
      case "false": case "0": case "no": return false;
      default: throw new ConfigException(name + " must be true or false, got '" + value.trim() + "'");
    }
  }

  public String oneOf(String name, String fallback, Set<String> allowed) {
    String v = string(name, fallback);
    if (v == null) {
      return null;
    }
    String lower = v.toLowerCase(Locale.ROOT);
    if (!allowed.contains(lower)) {
      throw new ConfigException(name + " must be one of " + String.join(", ", allowed.stream().sorted().toList()) + ", got '" + v + "'");
    }
    return lower;
  }

  /** An http(s) URL without a trailing slash. */
  public String httpUrl(String name, String fallback) {
    String v = string(name, fallback);
    return v == null ? null : checkHttpUrl(name, v);
  }

  /** {@code v} when it is an http(s) URL with a host, without a trailing slash; else one line naming {@code name}. */
  static String checkHttpUrl(String name, String v) {
    try {
      URI uri = URI.create(v);
      if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https")) || uri.getHost() == null) {
        throw new ConfigException(name + " must be an http or https URL, got '" + v + "'");
      }
    } catch (IllegalArgumentException e) {
      throw new ConfigException(name + " must be an http or https URL, got '" + v + "'");
    }
    return v.endsWith("/") ? v.substring(0, v.length() - 1) : v;
  }

  public List<String> list(String name, String fallback) {
    String v = string(name, fallback);
    if (v == null || v.isBlank()) {
      return List.of();
    }
    return Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  /** A duration such as 30s, 15m, 720h or 2d, in seconds. */
  public long durationSeconds(String name, String fallback) {
    String v = string(name, fallback);
    if (v == null) {
      return 0;
    }
    String s = v.toLowerCase(Locale.ROOT);
    long unit;
    char last = s.isEmpty() ? ' ' : s.charAt(s.length() - 1);
    switch (last) {
      case 's': unit = 1; break;
      case 'm': unit = 60; break;
      case 'h': unit = 3600; break;
      case 'd': unit = 86400; break;
      default:
        if (s.chars().allMatch(Character::isDigit) && !s.isEmpty()) {
          return Long.parseLong(s);
        }
        throw new ConfigException(name + " must be a duration like 30s, 15m, 720h or 2d, got '" + v + "'");
    }
    String digits = s.substring(0, s.length() - 1);
    if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit)) {
      throw new ConfigException(name + " must be a duration like 30s, 15m, 720h or 2d, got '" + v + "'");
    }
    return Long.parseLong(digits) * unit;
  }
}
