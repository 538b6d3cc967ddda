package io.splitbot.edge.spool;

/** The spool holds SPOOL_MAX_UPDATES updates; the edge answers 503 with Retry-After until the worker catches up. */
public final class SpoolFullException extends RuntimeException {
  public SpoolFullException(int max) {
    super("spool is full (" + max + " updates)");
  }
}
