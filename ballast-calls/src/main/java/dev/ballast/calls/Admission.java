package dev.ballast.calls;

import dev.ballast.calls.TenantLimitExceededException.Limit;
import dev.ballast.calls.internal.LeasedMeter;
import dev.ballast.calls.internal.MemoryLimitStore;
import dev.ballast.core.config.TenantConfig;
import dev.ballast.core.config.TenantLimits;
import dev.ballast.core.limits.LimitGrant;
import dev.ballast.core.limits.LimitKind;
import dev.ballast.core.spi.LimitStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tenant limits, enforced before any upstream call: requests and tokens per sliding minute, and a
 * spend budget against which every admitted call reserves its largest cost before it is made and
 * settles its real cost after (see {@code docs/limits.md}).
 *
 * <p>The counts live in a {@link LimitStore}: the store's, shared by every node and kept across
 * restarts ({@link #shared}), or this process's memory ({@link #Admission(Clock)}). A node admits
 * against small leases of each limit taken from the store, so the hot path reaches the store only
 * when a lease runs out; a background task reports usage and renews leases every {@link
 * #SYNC_EVERY}. Thread-safe.
 */
public final class Admission implements AutoCloseable {
  /** The part of a limit a node leases at once beyond what a call needs. */
  public static final double LEASE_SHARE = 0.05;

  /** How long the store keeps a lease its node does not renew. */
  public static final Duration LEASE_TTL = Duration.ofSeconds(5);

  /** How often a node reports its usage and renews its leases. */
  public static final Duration SYNC_EVERY = Duration.ofSeconds(1);

  /** Admits everything and counts nothing: for a deterministic replay, which spends nothing. */
  public static final Admission NONE = new Admission(null, "none", Clock.systemUTC(), false);

  private static final Logger LOG = LoggerFactory.getLogger(Admission.class);

  private final LimitStore store;
  private final String nodeId;
  private final Clock clock;
  private final Map<String, LeasedMeter> meters = new ConcurrentHashMap<>();
  private final Map<String, TenantConfig> tenants = new ConcurrentHashMap<>();
  private final ScheduledExecutorService sync;

  /** Limits counted in this process's memory only: nothing shared, nothing kept. */
  public Admission(Clock clock) {
    this(new MemoryLimitStore(), "local", clock, false);
  }

  private Admission(LimitStore store, String nodeId, Clock clock, boolean syncs) {
    this.store = store;
    this.nodeId = nodeId;
    this.clock = clock;
    this.sync =
        syncs
            ? Executors.newSingleThreadScheduledExecutor(
                Thread.ofVirtual().name("limits-sync").factory())
            : null;
    if (sync != null) {
      long every = SYNC_EVERY.toMillis();
      sync.scheduleWithFixedDelay(this::syncAll, every, every, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Limits kept in {@code store} and shared with every node using it.
   *
   * @param nodeId names this node's leases; unique among the nodes sharing the store
   */
  public static Admission shared(LimitStore store, String nodeId, Clock clock) {
    return new Admission(store, nodeId, clock, true);
  }

  /**
   * What a call asks of its tenant's limits.
   *
   * @param inputTokens the request's input tokens counted locally
   * @param reserveUsd the most the call may cost: reserved against the budget until it settles
   */
  public record Demand(int inputTokens, double reserveUsd) {}

  /** An admitted call's reservations, to {@link #settle} when it ends. */
  public record Ticket(TenantConfig tenant, boolean rateLimited, long reservedNanos) {}

  /**
   * Admits a call or refuses it; each limit is reserved only if all of them fit.
   *
   * @param origin who calls: which limits apply
   * @throws TenantLimitExceededException over a per-minute limit, with the time until it frees up
   * @throws BudgetExceededException when the call's reservation does not fit what is left of the
   *     budget
   * @throws LimitsUnavailableException when a lease ran out and the store could not be asked
   */
  public Ticket admit(TenantConfig tenant, Origin origin, Demand demand) {
    TenantLimits limits = tenant.limits();
    if (store == null || limits.unlimited()) {
      return new Ticket(tenant, false, 0);
    }
    long reserve = 0;
    if (origin.budgeted() && limits.budgetUsd() > 0) {
      reserve = Math.max(1, LimitKind.nanoUsd(demand.reserveUsd()));
      reserveOrThrow(tenant, LimitKind.SPEND, reserve);
    }
    if (!origin.rateLimited()) {
      return new Ticket(tenant, false, reserve);
    }
    try {
      if (limits.requestsPerMinute() > 0) {
        reserveOrThrow(tenant, LimitKind.REQUESTS, 1);
      }
      try {
        if (limits.tokensPerMinute() > 0) {
          reserveOrThrow(tenant, LimitKind.TOKENS, demand.inputTokens());
        }
      } catch (RuntimeException e) {
        release(tenant, LimitKind.REQUESTS, 1);
        throw e;
      }
    } catch (RuntimeException e) {
      release(tenant, LimitKind.SPEND, reserve);
      throw e;
    }
    commit(tenant, LimitKind.REQUESTS, 1, 1);
    commit(tenant, LimitKind.TOKENS, demand.inputTokens(), demand.inputTokens());
    return new Ticket(tenant, true, reserve);
  }

  /**
   * Settles an admitted call: its output tokens go into the tokens per minute (when they apply) and
   * its cost replaces its reservation in the spend. Call it exactly once per ticket, whatever the
   * call's outcome.
   */
  public void settle(Ticket ticket, int outputTokens, double costUsd) {
    TenantConfig tenant = ticket.tenant();
    if (store == null || tenant.limits().unlimited()) {
      return;
    }
    if (ticket.rateLimited() && tenant.limits().tokensPerMinute() > 0) {
      meter(tenant, LimitKind.TOKENS).add(outputTokens);
    }
    if (tenant.limits().budgetUsd() > 0) {
      meter(tenant, LimitKind.SPEND).commit(ticket.reservedNanos(), LimitKind.nanoUsd(costUsd));
    }
  }

  /**
   * Refuses work that would spend once the tenant's budget has no room left: a pipeline submission,
   * a stage about to call a model, a what-if replay.
   *
   * @throws BudgetExceededException when nothing is left of the budget
   * @throws LimitsUnavailableException when the store had to be asked and could not be
   */
  public void requireBudget(TenantConfig tenant) {
    if (store == null || tenant.limits().budgetUsd() <= 0) {
      return;
    }
    reserveOrThrow(tenant, LimitKind.SPEND, 1);
    release(tenant, LimitKind.SPEND, 1);
  }

  /**
   * A per-minute limit's room as a client's rate-limit headers state it (docs/limits.md).
   *
   * @param limit the limit per sliding minute
   * @param remaining what is left of it as this node knows (never negative)
   * @param reset until the oldest use counted leaves the window, when room grows again; zero when
   *     nothing is counted
   */
  public record Room(long limit, long remaining, Duration reset) {}

  /**
   * The room left in the tenant's (or key account's) requests and tokens per minute, as this node
   * knows it; empty for a limit that is not configured (or when nothing is counted at all).
   */
  public Optional<Room> room(TenantConfig tenant, LimitKind kind) {
    long limit = limit(tenant.limits(), kind);
    if (store == null || kind == LimitKind.SPEND || limit <= 0) {
      return Optional.empty();
    }
    LeasedMeter meter = meters.get(tenant.name() + "\n" + kind.name());
    return Optional.of(meter == null ? new Room(limit, limit, Duration.ZERO) : meter.room(limit));
  }

  /** The tenant's spend in USD as the store counts it (reported usage, leases not included). */
  public double spentUsd(String tenant) {
    if (store == null) {
      return 0;
    }
    return store.used(tenant, LimitKind.SPEND, clock.instant()) / (double) LimitKind.NANOS_PER_USD;
  }

  private void reserveOrThrow(TenantConfig tenant, LimitKind kind, long amount) {
    Optional<LimitGrant> refused;
    try {
      refused = meter(tenant, kind).reserve(amount, limit(tenant.limits(), kind));
    } catch (RuntimeException e) {
      if (e instanceof CallRefusedException) {
        throw e;
      }
      throw new LimitsUnavailableException(tenant.name(), e);
    }
    if (refused.isPresent()) {
      throw refusal(tenant, kind, amount, refused.get());
    }
  }

  private CallRefusedException refusal(
      TenantConfig tenant, LimitKind kind, long amount, LimitGrant grant) {
    TenantLimits limits = tenant.limits();
    return switch (kind) {
      // A one-nano-dollar probe (requireBudget) found nothing left; a call's reservation, too
      // little.
      case SPEND ->
          new BudgetExceededException(
              tenant.name(),
              limits.budgetUsd(),
              amount <= 1 ? 0 : amount / (double) LimitKind.NANOS_PER_USD);
      case REQUESTS ->
          new TenantLimitExceededException(
              tenant.name(),
              Limit.REQUESTS_PER_MINUTE,
              limits.requestsPerMinute(),
              retryAfter(kind, grant));
      case TOKENS ->
          new TenantLimitExceededException(
              tenant.name(),
              Limit.TOKENS_PER_MINUTE,
              limits.tokensPerMinute(),
              retryAfter(kind, grant));
    };
  }

  /** Until the oldest use in the window leaves it; a second when others' leases hold the room. */
  private Duration retryAfter(LimitKind kind, LimitGrant grant) {
    Instant now = clock.instant();
    long seconds =
        grant
            .oldest()
            .map(o -> o.plus(kind.window().orElseThrow()).getEpochSecond() - now.getEpochSecond())
            .orElse(1L);
    return Duration.ofSeconds(Math.max(1, seconds));
  }

  private void release(TenantConfig tenant, LimitKind kind, long amount) {
    if (amount > 0 && limit(tenant.limits(), kind) > 0) {
      meter(tenant, kind).release(amount);
    }
  }

  private void commit(TenantConfig tenant, LimitKind kind, long reserved, long used) {
    if (limit(tenant.limits(), kind) > 0) {
      meter(tenant, kind).commit(reserved, used);
    }
  }

  private LeasedMeter meter(TenantConfig tenant, LimitKind kind) {
    tenants.put(tenant.name(), tenant);
    return meters.computeIfAbsent(
        tenant.name() + "\n" + kind.name(),
        k ->
            new LeasedMeter(
                store, tenant.name(), kind, nodeId, clock, LEASE_TTL, SYNC_EVERY, LEASE_SHARE));
  }

  private static long limit(TenantLimits limits, LimitKind kind) {
    return switch (kind) {
      case REQUESTS -> limits.requestsPerMinute();
      case TOKENS -> limits.tokensPerMinute();
      case SPEND -> LimitKind.nanoUsd(limits.budgetUsd());
    };
  }

  /** Reports every meter's usage and renews its lease; a failure is retried at the next tick. */
  private void syncAll() {
    forEachMeter(false);
  }

  private void forEachMeter(boolean closing) {
    meters.forEach(
        (key, meter) -> {
          String[] parts = key.split("\n", 2);
          TenantConfig tenant = tenants.get(parts[0]);
          long limit = limit(tenant.limits(), LimitKind.valueOf(parts[1]));
          if (limit <= 0) {
            return;
          }
          try {
            if (closing) {
              meter.close(limit);
            } else {
              meter.sync(limit);
            }
          } catch (RuntimeException e) {
            LOG.warn(
                "reporting tenant {}'s {} to the store failed; retried at the next sync: {}",
                parts[0],
                parts[1].toLowerCase(java.util.Locale.ROOT),
                e.getMessage());
          }
        });
  }

  /**
   * Stops the background sync, then reports every meter's usage and gives back the leases, so that
   * the spend survives a restart to the last call.
   */
  @Override
  public void close() {
    if (store == null) {
      return;
    }
    if (sync != null) {
      sync.shutdownNow();
      try {
        sync.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    forEachMeter(true);
  }
}
