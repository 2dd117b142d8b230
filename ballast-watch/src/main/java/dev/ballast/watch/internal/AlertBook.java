package dev.ballast.watch.internal;

import dev.ballast.core.journal.JournalEntry;
import dev.ballast.core.journal.JournalEvent.AlertChanged;
import dev.ballast.core.journal.RunIds;
import dev.ballast.core.spi.WatchStore;
import dev.ballast.core.watch.AlertRecord;
import dev.ballast.core.watch.AlertState;
import dev.ballast.watch.AlertNotifier;
import dev.ballast.watch.RunDiffer;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Turns detectors' verdicts into alerts: a row in the store, which decides (one open alert per
 * series and signal, whichever node proposes it first), and an {@link AlertChanged} journal event
 * for each transition the store accepted, written by the node whose write it accepted, at the
 * sequence number the row counted. So an alert's journal has one event per transition, however many
 * nodes saw the change. Used by the ticker thread only.
 */
final class AlertBook {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AlertBook.class);

  private final WatchStore store;
  private final Consumer<JournalEntry> journal;
  private final RunDiffer differ;
  private final AlertNotifier notifier;
  private final Clock clock;

  AlertBook(
      WatchStore store,
      Consumer<JournalEntry> journal,
      RunDiffer differ,
      AlertNotifier notifier,
      Clock clock) {
    this.store = store;
    this.journal = journal;
    this.differ = differ;
    this.notifier = notifier;
    this.clock = clock;
  }

  /** Applies one verdict; returns the id of the alert open for its series and signal, if any. */
  Optional<String> apply(Proposal p) {
    Evidence e = p.verdict().evidence();
    Instant now = clock.instant();
    if (p.verdict().transition() == Verdict.Transition.OPEN) {
      return Optional.of(open(p, e, now));
    }
    String id = p.alertId() != null ? p.alertId() : openId(p.series(), p.signal()).orElse(null);
    if (id == null) {
      return Optional.empty();
    }
    if (p.verdict().transition() == Verdict.Transition.RESOLVE) {
      store
          .resolve(id, now, e.current(), e.samples())
          .ifPresent(a -> journal(a, AlertChanged.RESOLVED, now));
      return Optional.empty();
    }
    Optional<AlertRecord> existing = store.alert(id).filter(AlertRecord::open);
    if (existing.isEmpty()) {
      return Optional.empty();
    }
    store
        .update(
            existing
                .get()
                .withNumbers(
                    e.severity(),
                    e.title() + " on " + p.series(),
                    e.current(),
                    e.samples(),
                    e.details()),
            now)
        .ifPresent(a -> journal(a, AlertChanged.UPDATED, now));
    return Optional.of(id);
  }

  private String open(Proposal p, Evidence e, Instant now) {
    Optional<String> already = openId(p.series(), p.signal());
    if (already.isPresent()) {
      return already.get();
    }
    List<AlertRecord.DiffRow> diff =
        e.lastGoodRun() == null || e.firstBadRun() == null
            ? List.of()
            : differ.diff(e.lastGoodRun(), e.firstBadRun());
    AlertRecord candidate =
        new AlertRecord(
            RunIds.next("alrt_", clock),
            p.series(),
            p.signal(),
            e.kind(),
            AlertState.OPEN,
            e.severity(),
            e.title() + " on " + p.series(),
            now,
            now,
            null,
            e.onsetAt(),
            e.baseline(),
            e.current(),
            e.unit(),
            e.samples(),
            e.lastGoodRun(),
            e.firstBadRun(),
            e.details(),
            diff,
            0);
    WatchStore.Opened opened = store.open(candidate);
    if (opened.created()) {
      journal(opened.alert(), AlertChanged.OPENED, now);
    }
    return opened.alert().id();
  }

  private Optional<String> openId(String series, String signal) {
    return store.alerts(AlertState.OPEN, 10_000).stream()
        .filter(a -> a.series().equals(series) && a.signal().equals(signal))
        .map(AlertRecord::id)
        .findFirst();
  }

  private void journal(AlertRecord a, String transition, Instant at) {
    record(a, transition, at);
    if (!AlertChanged.UPDATED.equals(transition)) {
      try {
        notifier.notify(a, transition);
      } catch (RuntimeException e) {
        LOG.warn("notifying {} of alert {} failed: {}", transition, a.id(), e.toString());
      }
    }
  }

  private void record(AlertRecord a, String transition, Instant at) {
    List<String> changed =
        a.diff().stream()
            .map(r -> r.scope() + "." + r.field() + ": " + r.good() + " -> " + r.bad())
            .toList();
    journal.accept(
        new JournalEntry(
            a.id(),
            a.seq(),
            at,
            new AlertChanged(
                transition,
                a.series(),
                a.signal(),
                a.kind(),
                a.severity(),
                a.title(),
                a.baseline(),
                a.current(),
                a.unit(),
                a.onsetAt(),
                a.lastGoodRun(),
                a.firstBadRun(),
                changed)));
  }
}
