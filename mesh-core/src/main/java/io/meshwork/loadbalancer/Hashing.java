package io.meshwork.loadbalancer;

/**
 * The 64-bit string hash of ring hashing and sticky splits: FNV-1a over the UTF-16 units, then
 * MurmurHash3's finalizer. Stable across processes and versions, so every mesh of a fleet sends the
 * same key the same way.
 */
public final class Hashing {

  private Hashing() {}

  /** The hash of {@code value}. */
  public static long hash64(String value) {
    long hash = 0xcbf29ce484222325L;
    for (int i = 0; i < value.length(); i++) {
      hash ^= value.charAt(i);
      hash *= 0x100000001b3L;
    }
    // fmix64 spreads FNV's weak low bits over the whole word.
    hash ^= hash >>> 33;
    hash *= 0xff51afd7ed558ccdL;
    hash ^= hash >>> 33;
    hash *= 0xc4ceb9fe1a85ec53L;
    hash ^= hash >>> 33;
    return hash;
  }
}
