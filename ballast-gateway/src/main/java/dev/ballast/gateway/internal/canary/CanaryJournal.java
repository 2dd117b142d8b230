package dev.ballast.gateway.internal.canary;

import dev.ballast.core.journal.JournalEntry;
import dev.ballast.core.journal.JournalEvent;
import java.util.function.Consumer;

/**
 * A canary run's journal: entries pass through to the writer, except the run's terminal event,
 * which waits until the verdict has been recorded before it. A run's events after its terminal one
 * would open a segment no reader ever closes, so the verdict takes the terminal event's sequence
 * number and the terminal event the next. Not thread-safe: one canary run, one thread.
 */
final class CanaryJournal implements Consumer<JournalEntry> {
  private final Consumer<JournalEntry> writer;
  private JournalEntry terminal;

  CanaryJournal(Consumer<JournalEntry> writer) {
    this.writer = writer;
  }

  @Override
  public void accept(JournalEntry entry) {
    if (terminal == null
        && (entry.event() instanceof JournalEvent.RunCompleted
            || entry.event() instanceof JournalEvent.RunFailed)) {
      terminal = entry;
    } else {
      writer.accept(entry);
    }
  }

  /**
   * Writes the verdict (when there is one) and then the held terminal event; to be called once the
   * call returned or failed, whatever happened.
   */
  void end(JournalEvent.CanaryChecked verdict) {
    if (terminal == null) {
      return;
    }
    int seq = terminal.seq();
    if (verdict != null) {
      writer.accept(new JournalEntry(terminal.runId(), seq++, terminal.at(), verdict));
    }
    writer.accept(new JournalEntry(terminal.runId(), seq, terminal.at(), terminal.event()));
    terminal = null;
  }
}
