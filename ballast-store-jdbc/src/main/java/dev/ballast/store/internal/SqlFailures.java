package dev.ballast.store.internal;

import dev.ballast.store.StoreException;
import java.sql.SQLException;

/** Names a failed store operation and the store it failed on, for every capability alike. */
record SqlFailures(String display) {
  StoreException of(String what, SQLException e) {
    return new StoreException(what + " failed on " + display + ": " + e.getMessage(), e);
  }
}
