package dev.ballast.resilience.internal;

import dev.ballast.resilience.RetryBudget;
import dev.ballast.resilience.RetryBudgetConfig;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * A {@link RetryBudget} over a ring of time buckets. Requests go to a striped {@link LongAdder}
 * because they are counted on every call; retries go to an {@link AtomicLong} per bucket so that a
 * compare-and-set serialises grants and concurrent callers can never over-grant.
 */
public final class WindowedRetryBudget implements RetryBudget {
  private final RetryBudgetConfig config;
  private final InstantSource clock;
  private final long bucketMillis;
  private final double floorPerWindow;
  private final AtomicReferenceArray<Bucket> ring;

  public WindowedRetryBudget(RetryBudgetConfig config, InstantSource clock) {
    this.config = config;
    this.clock = clock;
    this.bucketMillis = config.bucket().toMillis();
    this.floorPerWindow = config.minRetriesPerSecond() * config.window().toMillis() / 1000.0;
    this.ring = new AtomicReferenceArray<>(config.buckets());
  }

  @Override
  public void recordRequest() {
    current(epochNow()).requests.increment();
  }

  @Override
  public boolean tryAcquireRetry() {
    long epoch = epochNow();
    Bucket bucket = current(epoch);
    while (true) {
      long here = bucket.retries.get();
      long retries = retriesBefore(epoch) + here;
      if (retries + 1 > allowance(epoch)) {
        return false;
      }
      if (bucket.retries.compareAndSet(here, here + 1)) {
        return true;
      }
    }
  }

  @Override
  public void releaseRetry() {
    // Give the retry back to the newest bucket that holds one; if the window has moved past the
    // grant, it has already expired and there is nothing to give back.
    long epoch = epochNow();
    for (long e = epoch; e > epoch - ring.length(); e--) {
      Bucket bucket = ring.get(index(e));
      if (bucket != null && bucket.epoch == e && decrementIfPositive(bucket.retries)) {
        return;
      }
    }
  }

  @Override
  public double remaining() {
    long epoch = epochNow();
    return Math.max(0, allowance(epoch) - retriesBefore(epoch) - retriesIn(epoch));
  }

  private double allowance(long epoch) {
    long requests = 0;
    for (long e = epoch; e > epoch - ring.length(); e--) {
      Bucket bucket = ring.get(index(e));
      if (bucket != null && bucket.epoch == e) {
        requests += bucket.requests.sum();
      }
    }
    return config.budgetRatio() * requests + floorPerWindow;
  }

  private long retriesBefore(long epoch) {
    long retries = 0;
    for (long e = epoch - 1; e > epoch - ring.length(); e--) {
      retries += retriesIn(e);
    }
    return retries;
  }

  private long retriesIn(long epoch) {
    Bucket bucket = ring.get(index(epoch));
    return bucket != null && bucket.epoch == epoch ? bucket.retries.get() : 0;
  }

  /** The bucket for {@code epoch}, replacing a stale one; losers of the race use the winner's. */
  private Bucket current(long epoch) {
    int i = index(epoch);
    while (true) {
      Bucket bucket = ring.get(i);
      if (bucket != null && bucket.epoch == epoch) {
        return bucket;
      }
      if (bucket != null && bucket.epoch > epoch) {
        // Another thread read a later clock; count into a detached bucket rather than corrupt it.
        return new Bucket(epoch);
      }
      Bucket fresh = new Bucket(epoch);
      if (ring.compareAndSet(i, bucket, fresh)) {
        return fresh;
      }
    }
  }

  private static boolean decrementIfPositive(AtomicLong counter) {
    long value;
    do {
      value = counter.get();
      if (value <= 0) {
        return false;
      }
    } while (!counter.compareAndSet(value, value - 1));
    return true;
  }

  private long epochNow() {
    return Math.floorDiv(clock.millis(), bucketMillis);
  }

  private int index(long epoch) {
    return (int) Math.floorMod(epoch, (long) ring.length());
  }

  private static final class Bucket {
    final long epoch;
    final LongAdder requests = new LongAdder();
    final AtomicLong retries = new AtomicLong();

    Bucket(long epoch) {
      this.epoch = epoch;
    }
  }
}
