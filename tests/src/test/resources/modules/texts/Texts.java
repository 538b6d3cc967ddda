package com.example.texts;

/** A library of the bot's own, shipped as a jar of its own. */
public final class Texts {
  private Texts() {
  }

  public static String greeting() {
    return "Hello from the texts library";
  }
}
