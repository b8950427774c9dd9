package io.meshwork.reliability;

/** What a {@link FaultyServer} does with each request (or connection) once the fault is on. */
enum WireFault {
  /** A complete keep-alive 200: the healthy instance before the fault. */
  NONE,
  /** The listener and every connection closed: connections are refused. */
  REFUSING,
  /** Requests read, never answered; connections held open. */
  BLACK_HOLE,
  /** The listener stays open but accepts no more: the kernel's backlog fills, then SYNs go unanswered. */
  NEVER_ACCEPTS,
  /** Bytes that are no HTTP response. */
  GARBAGE,
  /** A head promising 100 bytes, 15 of them, then the connection closed. */
  TRUNCATED,
  /** A 200 whose body (16 MiB) exceeds the client's limit of 10 MiB. */
  OVERSIZED,
  /** The request read, then the server's half closed (FIN) without an answer; its read side stays open. */
  HALF_CLOSED,
  /** A head and part of the body, then a TCP reset (SO_LINGER 0). */
  RESET_MID_BODY
}
