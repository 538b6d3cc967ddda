package io.splitbot.worker.cli;

import io.splitbot.worker.sandbox.Sandbox;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code sandbox}: the bot offline, against the in-process Bot API emulator, with a chat page on 127.0.0.1. */
@Command(
    name = "sandbox",
    mixinStandardHelpOptions = true,
    description = {
        "Run the bot offline, in a browser: no token, no network.",
        "A Bot API emulator runs in this process and the bot runs against it through the whole runtime, on 127.0.0.1 only. "
            + "Prints one line, the chat page's URL (http://127.0.0.1:$WORKER_PORT/sandbox); stop with Ctrl+C. "
            + "Storage: what the environment configures, else the embedded files in $DATA_DIR/sandbox."})
final class SandboxCommand implements Callable<Integer> {

  @Override
  public Integer call() throws InterruptedException {
    System.out.println(Sandbox.start(System.getenv()));
    System.out.flush();
    // The service runs on Vert.x's threads until SIGTERM or Ctrl+C; its shutdown hook stops it.
    Thread.currentThread().join();
    return 0;
  }
}
