package io.splitbot.tests.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the system's curl, as a seed's command lines do: a command line is split like a shell would (quotes,
 * backslash-newline), and the answer's status is read from curl's {@code -w}.
 */
public final class Curl {
  public static final String PATH = "/usr/bin/curl";

  private Curl() {
  }

  /** Runs {@code commandLine} (starting with "curl"), adding only -s and a status trailer. */
  public static ApiClient.Answer run(String commandLine) {
    List<String> args = split(commandLine.replace("\\\n", " "));
    if (!args.get(0).equals("curl")) {
      throw new IllegalArgumentException("not a curl command: " + commandLine);
    }
    return run(args.subList(1, args.size()));
  }

  public static ApiClient.Answer run(List<String> args) {
    List<String> command = new ArrayList<>(List.of(PATH, "-s", "--max-time", "15", "-w", "\n%{http_code} %{content_type}"));
    command.addAll(args);
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new AssertionError("curl failed (" + p.exitValue() + "): " + command);
      }
      int cut = out.lastIndexOf('\n');
      String[] trailer = out.substring(cut + 1).split(" ", 2);
      return new ApiClient.Answer(Integer.parseInt(trailer[0]), out.substring(0, cut), trailer.length > 1 ? trailer[1] : "");
    } catch (IOException e) {
      throw new AssertionError("cannot run curl: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Words as a POSIX shell splits them, for the quoting seeds use: '...', "..." and bare words. */
  static List<String> split(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder word = null;
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          word.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        word = word == null ? new StringBuilder() : word;
      } else if (Character.isWhitespace(c)) {
        if (word != null) {
          words.add(word.toString());
          word = null;
        }
      } else {
        word = word == null ? new StringBuilder() : word;
        word.append(c);
      }
    }
    if (quote != 0) {
      throw new IllegalArgumentException("unclosed quote in " + line);
    }
    if (word != null) {
      words.add(word.toString());
    }
    return words;
  }
}
