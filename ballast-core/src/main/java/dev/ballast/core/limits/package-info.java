/** Tenant limits as the store shares them between nodes: usage, leases and their exchange. */
package dev.ballast.core.limits;
