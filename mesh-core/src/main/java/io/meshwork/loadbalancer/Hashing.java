package io.meshwork.loadbalancer;

/** A 64-bit string hash for the ring: FNV-1a over the UTF-16 units, then MurmurHash3's finalizer. */
final class Hashing {

  private Hashing() {}

  static long hash64(String value) {
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
