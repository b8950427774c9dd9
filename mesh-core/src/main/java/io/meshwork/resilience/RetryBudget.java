package io.meshwork.resilience;

import io.meshwork.time.Ticker;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A token budget for retries (Finagle's and Linkerd's): each call deposits {@code ratio} tokens, each
 * retry withdraws one. Deposits and withdrawals expire after the ttl, in ten slots, so the reserve of
 * {@code minRetriesPerSecond x ttl} comes back once an outage's retries have aged out.
 *
 * <p>The balance is one atomic taken by compare-and-set, so concurrent retries can never overdraw it;
 * slot rotation is done by whichever thread first sees a new slot. No lock, no allocation.
 */
public final class RetryBudget {

  private static final int SLOTS = 10;
  /** Tokens are counted in thousandths of a retry. */
  private static final long WITHDRAWAL = 1000;

  private final Ticker ticker;
  private final long deposit;
  private final long slotNanos;
  private final AtomicLong balance;
  private final AtomicLongArray slots = new AtomicLongArray(SLOTS);
  private final AtomicLong epoch;

  private RetryBudget(RetryBudgetConfig config, Ticker ticker) {
    this.ticker = ticker;
    this.deposit = Math.round(config.ratio() * WITHDRAWAL);
    this.slotNanos = config.ttl().toNanos() / SLOTS;
    long reserve = config.minRetriesPerSecond() * config.ttl().toSeconds() * WITHDRAWAL;
    this.balance = new AtomicLong(reserve);
    this.epoch = new AtomicLong(Math.floorDiv(ticker.nanoTime(), slotNanos));
  }

  /** A budget with {@code config}, on {@code ticker}. */
  public static RetryBudget create(RetryBudgetConfig config, Ticker ticker) {
    return new RetryBudget(config, ticker);
  }

  /** A call was made: deposit its share of retries. */
  public void deposit() {
    long now = rotate();
    balance.addAndGet(deposit);
    slots.addAndGet(slot(now), deposit);
  }

  /** Asks for one retry; false when the budget is spent. */
  public boolean tryWithdraw() {
    long now = rotate();
    while (true) {
      long current = balance.get();
      if (current < WITHDRAWAL) {
        return false;
      }
      if (balance.compareAndSet(current, current - WITHDRAWAL)) {
        slots.addAndGet(slot(now), -WITHDRAWAL);
        return true;
      }
    }
  }

  /** Retries the budget would allow now. */
  public long available() {
    rotate();
    return Math.max(0, balance.get()) / WITHDRAWAL;
  }

  private int slot(long epochNow) {
    return (int) Math.floorMod(epochNow, SLOTS);
  }

  /** Expires the slots older than the ttl; returns the current epoch. */
  private long rotate() {
    long now = Math.floorDiv(ticker.nanoTime(), slotNanos);
    long seen = epoch.get();
    if (now > seen && epoch.compareAndSet(seen, now)) {
      long expired = Math.min(now - seen, SLOTS);
      for (long e = now - expired + 1; e <= now; e++) {
        // The slot of epoch e last held epoch e - SLOTS: its net deposits expire now.
        balance.addAndGet(-slots.getAndSet(slot(e), 0));
      }
    }
    return now;
  }
}
