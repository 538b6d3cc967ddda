package io.splitbot.tests.bench;

import org.junit.jupiter.api.Test;

/**
 * The entry point of the start-up and idle-memory benchmark (issue 14): runs {@link Footprint} and prints its
 * figures; it asserts nothing. Its name matches none of surefire's default patterns, so {@code mvn verify} never runs
 * it: {@code mvn -B -Pbenchmark -pl tests test -Dtest=FootprintRun -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class FootprintRun {

  @Test
  void footprint() throws Exception {
    Footprint.runAll();
  }
}
