package dev.ballast.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ballast.testkit.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PriorityBulkheadTest {
  private final MutableClock clock = new MutableClock();
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
  private final Deadline farAway = Deadline.after(Duration.ofHours(1), clock);

  @AfterEach
  void stop() {
    threads.shutdownNow();
  }

  private PriorityBulkhead bulkhead(int max, Duration batchWait) {
    return PriorityBulkhead.create(
        "gpt-east",
        BulkheadConfig.builder()
            .maxConcurrentCalls(max)
            .batchMaxWait(batchWait)
            .batchRetryAfter(Duration.ofSeconds(2))
            .build(),
        clock);
  }

  private CompletableFuture<PriorityBulkhead.Slot> acquireAsync(
      PriorityBulkhead bulkhead, Priority priority, Deadline deadline, List<Priority> order) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            PriorityBulkhead.Slot slot = bulkhead.acquire(priority, deadline);
            order.add(priority);
            return slot;
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
        },
        threads);
  }

  @Test
  void admitsUpToTheLimitWithoutWaiting() throws Exception {
    PriorityBulkhead bulkhead = bulkhead(2, Duration.ZERO);
    bulkhead.acquire(Priority.BATCH, farAway);
    bulkhead.acquire(Priority.INTERACTIVE, farAway);
    assertThat(bulkhead.inUse()).isEqualTo(2);
  }

  @Test
  void admitsInteractiveWaitersBeforeBatchWaiters() throws Exception {
    PriorityBulkhead bulkhead = bulkhead(1, Duration.ofHours(1));
    PriorityBulkhead.Slot held = bulkhead.acquire(Priority.BATCH, farAway);
    List<Priority> order = new CopyOnWriteArrayList<>();
    var batch = acquireAsync(bulkhead, Priority.BATCH, farAway, order);
    await().until(() -> bulkhead.waiting(Priority.BATCH) == 1);
    var interactive = acquireAsync(bulkhead, Priority.INTERACTIVE, farAway, order);
    await().until(() -> bulkhead.waiting(Priority.INTERACTIVE) == 1);

    held.close();
    interactive.get().close();
    batch.get().close();

    assertThat(order).containsExactly(Priority.INTERACTIVE, Priority.BATCH);
    assertThat(bulkhead.inUse()).isZero();
  }

  @Test
  void shedsBatchImmediatelyWhenItMayNotWait() throws Exception {
    PriorityBulkhead bulkhead = bulkhead(1, Duration.ZERO);
    bulkhead.acquire(Priority.INTERACTIVE, farAway);
    assertThatThrownBy(() -> bulkhead.acquire(Priority.BATCH, farAway))
        .isInstanceOfSatisfying(
            BulkheadFullException.class,
            e -> {
              assertThat(e.priority()).isEqualTo(Priority.BATCH);
              assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(2));
            });
  }

  @Test
  void shedsBatchAfterItsWait() throws Exception {
    PriorityBulkhead bulkhead = bulkhead(1, Duration.ofMillis(50));
    bulkhead.acquire(Priority.INTERACTIVE, farAway);
    var batch = acquireAsync(bulkhead, Priority.BATCH, farAway, new CopyOnWriteArrayList<>());
    await().until(() -> bulkhead.waiting(Priority.BATCH) == 1);
    clock.advance(Duration.ofMillis(50));

    assertThatThrownBy(batch::get)
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(BulkheadFullException.class);
    assertThat(bulkhead.waiting(Priority.BATCH)).isZero();
  }

  @Test
  void interactiveWaitsUntilItsDeadline() throws Exception {
    PriorityBulkhead bulkhead = bulkhead(1, Duration.ZERO);
    bulkhead.acquire(Priority.BATCH, farAway);
    Deadline soon = Deadline.after(Duration.ofMillis(50), clock);
    var interactive =
        acquireAsync(bulkhead, Priority.INTERACTIVE, soon, new CopyOnWriteArrayList<>());
    await().until(() -> bulkhead.waiting(Priority.INTERACTIVE) == 1);
    clock.advance(Duration.ofMillis(50));

    assertThatThrownBy(interactive::get).hasCauseInstanceOf(BulkheadFullException.class);
  }

  @Test
  void aFreedSlotGoesToTheWaiterNotToANewcomer() throws Exception {
    PriorityBulkhead bulkhead = bulkhead(1, Duration.ZERO);
    PriorityBulkhead.Slot held = bulkhead.acquire(Priority.INTERACTIVE, farAway);
    var waiter =
        acquireAsync(bulkhead, Priority.INTERACTIVE, farAway, new CopyOnWriteArrayList<>());
    await().until(() -> bulkhead.waiting(Priority.INTERACTIVE) == 1);

    held.close();
    assertThatThrownBy(() -> bulkhead.acquire(Priority.BATCH, farAway))
        .isInstanceOf(BulkheadFullException.class);
    waiter.get().close();
    assertThat(bulkhead.inUse()).isZero();
  }

  @Test
  void closingASlotTwiceFreesOneSlot() throws Exception {
    PriorityBulkhead bulkhead = bulkhead(2, Duration.ZERO);
    PriorityBulkhead.Slot slot = bulkhead.acquire(Priority.BATCH, farAway);
    bulkhead.acquire(Priority.BATCH, farAway);
    slot.close();
    slot.close();
    assertThat(bulkhead.inUse()).isEqualTo(1);
  }
}
