package io.splitbot.worker.cli;

import io.splitbot.worker.storage.consistency.Progress;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Progress of a CLI pass: a progress bar on a terminal, plain lines otherwise (logs, CI, pipes). */
final class CliProgress implements Progress {
  enum Mode { BAR, PLAIN, NONE }

  private final Mode mode;
  private final PrintWriter out;
  private ProgressBar bar;
  private String task;
  private long total;
  private long done;
  private int lastBucket;
  private long lastPrint;

  CliProgress(Mode mode, PrintWriter out) {
    this.mode = mode;
    this.out = out;
  }

  /** auto: a bar when a terminal is attached to both stdin and stdout. */
  static Mode resolve(String option) {
    return switch (option.toLowerCase(Locale.ROOT)) {
      case "bar" -> Mode.BAR;
      case "plain" -> Mode.PLAIN;
      case "none" -> Mode.NONE;
      default -> System.console() != null ? Mode.BAR : Mode.PLAIN;
    };
  }

  @Override
  public synchronized void start(String task, long total, long alreadyDone) {
    this.task = task;
    this.total = total;
    this.done = alreadyDone;
    this.lastBucket = bucket();
    this.lastPrint = System.currentTimeMillis();
    switch (mode) {
      case BAR -> bar = new ProgressBarBuilder()
          .setTaskName(task)
          .setInitialMax(Math.max(total, 0))
          .setStyle(ProgressBarStyle.ASCII)
          .setConsumer(new ConsoleProgressBarConsumer(System.err))
          .setUpdateIntervalMillis(200)
          .startsFrom(alreadyDone, Duration.ZERO)
          .showSpeed()
          .build();
      case PLAIN -> {
        if (total > 0) {
          out.printf(Locale.ROOT, "%s: %d record(s)%s%n", task, total, alreadyDone > 0 ? ", resuming at " + alreadyDone : "");
          out.flush();
        }
      }
      default -> { }
    }
  }

  private int bucket() {
    return total <= 0 ? 0 : (int) Math.min(20, done * 20 / total); // 5% steps
  }

  @Override
  public synchronized void step(long n) {
    done += n;
    if (mode == Mode.BAR && bar != null) {
      bar.stepTo(done);
    } else if (mode == Mode.PLAIN) {
      int b = bucket();
      long now = System.currentTimeMillis();
      if (b != lastBucket || now - lastPrint > 10_000) {
        lastBucket = b;
        lastPrint = now;
        out.printf(Locale.ROOT, "%s: %d/%d (%d%%)%n", task, done, total, total == 0 ? 100 : done * 100 / total);
        out.flush();
      }
    }
  }

  @Override
  public synchronized void end() {
    if (bar != null) {
      bar.close();
      bar = null;
    } else if (mode == Mode.PLAIN && task != null && total > 0) {
      out.printf(Locale.ROOT, "%s: done, %d/%d%n", task, done, total);
      out.flush();
    }
    task = null;
  }
}
