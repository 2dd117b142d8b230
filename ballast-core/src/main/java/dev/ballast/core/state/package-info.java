/**
 * Versioned state: document collections whose chunks carry the generations in which they are live,
 * and conversation memory as an append-only log of versioned mutations. Everything here is
 * immutable once written, so a reader pinned to a generation or a memory version sees the same
 * state on every node, and caches keyed by those versions never need invalidating (docs/state.md).
 */
package dev.ballast.core.state;
