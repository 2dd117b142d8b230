package dev.ballast.pipeline.internal.stages;

import dev.ballast.core.spi.MemoryStore;
import dev.ballast.core.state.MemoryView;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Memory as of a version, cached by {@code (conversation, version)}. Memory at a version never
 * changes (docs/state.md, invariant 7), so an entry is never stale and nothing is ever invalidated;
 * the cache only bounds its size. Thread-safe.
 */
final class MemoryViews {
  private static final int MAX_ENTRIES = 1024;

  private final MemoryStore memory;
  private final Map<String, MemoryView> cache =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, MemoryView> eldest) {
          return size() > MAX_ENTRIES;
        }
      };

  MemoryViews(MemoryStore memory) {
    this.memory = memory;
  }

  MemoryView at(String conversation, long version) {
    String key = version + "\u0000" + conversation;
    synchronized (cache) {
      MemoryView cached = cache.get(key);
      if (cached != null) {
        return cached;
      }
    }
    MemoryView view = MemoryView.of(conversation, memory.history(conversation, version));
    if (view.version() != version) {
      // The pin came from this store, so the log cannot be shorter unless the store was replaced.
      throw new IllegalStateException(
          "conversation " + conversation + " has no version " + version + " in this store");
    }
    synchronized (cache) {
      cache.put(key, view);
    }
    return view;
  }
}
