package dev.ballast.core.config;

import java.util.Set;

/**
 * Who may read and write one collection ({@code collections.NAME.owner} and {@code
 * collections.NAME.readers}). A collection is either <em>owned</em> by one tenant, which alone
 * (with the administrators) reads and writes it, or <em>shared</em>: written by administrators only
 * and read by the tenants listed in {@code readers}, or by every tenant when the list is absent.
 *
 * @param owner the owning tenant, or null for a shared collection
 * @param readers the tenants that may read a shared collection; null for every tenant
 */
public record CollectionAccess(String owner, Set<String> readers) {
  /** A shared collection every tenant reads and only administrators write: the default. */
  public static final CollectionAccess SHARED_WITH_ALL = new CollectionAccess(null, null);

  public CollectionAccess {
    if (owner != null && readers != null) {
      throw new IllegalArgumentException("an owned collection has no readers list");
    }
    readers = readers == null ? null : Set.copyOf(readers);
  }

  public boolean shared() {
    return owner == null;
  }

  /** Whether {@code tenant} (not an administrator) may search this collection. */
  public boolean readableBy(String tenant) {
    if (owner != null) {
      return owner.equals(tenant);
    }
    return readers == null || readers.contains(tenant);
  }

  /** Whether {@code tenant} (not an administrator) may add or remove documents. */
  public boolean writableBy(String tenant) {
    return owner != null && owner.equals(tenant);
  }
}
