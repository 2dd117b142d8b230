/**
 * Who may call and what a key may do beyond its tenant's rules: managed keys kept in the store
 * ({@link dev.ballast.core.access.ManagedKey}). The configuration's rules are {@link
 * dev.ballast.core.config.AccessConfig}; docs/security.md states them all.
 */
package dev.ballast.core.access;
