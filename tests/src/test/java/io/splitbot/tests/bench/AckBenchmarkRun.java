package io.splitbot.tests.bench;

import org.junit.jupiter.api.Test;

/**
 * The entry point of {@code mvn -pl tests -Pbenchmark test}: runs {@link AckBenchmark} and prints its figures. It
 * asserts nothing. Its name matches none of surefire's default patterns, so {@code mvn verify} never runs it.
 */
class AckBenchmarkRun {

  @Test
  void ackBenchmark() throws Exception {
    AckBenchmark.runAll();
  }
}
