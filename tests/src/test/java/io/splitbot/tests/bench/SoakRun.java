package io.splitbot.tests.bench;

import org.junit.jupiter.api.Test;

/**
 * The entry point of the memory benchmark ({@link SoakBenchmark}): prints figures, asserts nothing. Its name matches
 * none of surefire's default patterns, so {@code mvn verify} never runs it; run it with
 * {@code mvn -B -Pbenchmark -pl tests test -Dtest=SoakRun -Dsurefire.failIfNoSpecifiedTests=false} (docs/BENCHMARKS.md).
 */
class SoakRun {

  @Test
  void soakAndFlood() throws Exception {
    SoakBenchmark.runAll();
  }
}
