package io.meshwork.controlplane.server.state;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Ids of rules and tokens that sort in the order they were made: milliseconds, then random bits. */
public final class StateIds {

  private static final SecureRandom RANDOM = new SecureRandom();

  private StateIds() {}

  /** A new id, such as {@code 0193f2c4d5e6-9f8e7d6c}. */
  public static String next() {
    byte[] random = new byte[4];
    RANDOM.nextBytes(random);
    return String.format("%012x", System.currentTimeMillis()) + "-" + HexFormat.of().formatHex(random);
  }
}
