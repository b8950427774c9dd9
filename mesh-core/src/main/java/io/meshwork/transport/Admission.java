package io.meshwork.transport;

import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;

/**
 * What {@link InboundHandler#admit} decided on a request head: go on with {@code head} (possibly
 * rewritten, such as its path normalized), whose body the transport then reads, or send
 * {@code answer} at once and read no body. Exactly one of the two is set.
 *
 * @param head the head to go on with, or null when refused
 * @param answer the answer to send at once, or null when admitted
 */
public record Admission(MeshRequest head, MeshResponse answer) {

  /** Checks that exactly one is set. */
  public Admission {
    if ((head == null) == (answer == null)) {
      throw new IllegalArgumentException("admission: head " + head + ", answer " + answer
          + " (expected: exactly one of them)");
    }
  }

  /** Go on with {@code head}. */
  public static Admission admit(MeshRequest head) {
    return new Admission(head, null);
  }

  /** Answer {@code answer} at once; the body is never read. */
  public static Admission refuse(MeshResponse answer) {
    return new Admission(null, answer);
  }

  /** Whether the request goes on to {@link InboundHandler#handle}. */
  public boolean isAdmitted() {
    return head != null;
  }
}
