package dev.ballast.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.core.access.ManagedKey;
import dev.ballast.core.config.TenantLimits;
import dev.ballast.core.spi.KeyStore;
import dev.ballast.core.spi.Store;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The compatibility kit of {@link KeyStore}: every backend runs it (docs/security.md). */
public abstract class KeyStoreContract {
  protected static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

  protected Store store;

  /** A new, empty store; closed by the kit. */
  protected abstract Store newStore();

  @BeforeEach
  void open() {
    store = newStore();
  }

  @AfterEach
  void close() {
    store.close();
  }

  static ManagedKey key(String id, String tenant, Instant createdAt) {
    return new ManagedKey(
        id,
        "sha256:" + id.repeat(8).substring(0, 8) + "0".repeat(56),
        "bk-" + id,
        tenant,
        "label " + id,
        false,
        null,
        null,
        TenantLimits.UNLIMITED,
        "ops",
        createdAt,
        null,
        null);
  }

  @Test
  void aCreatedKeyIsFoundByItsHashAndItsIdWithEveryField() {
    ManagedKey key =
        new ManagedKey(
            "key_a",
            "sha256:" + "a".repeat(64),
            "bk-Abcd",
            "acme",
            "ci",
            true,
            List.of("default", "fast"),
            List.of("digest"),
            TenantLimits.of(60, 10_000, 2.5),
            "ops",
            T0,
            T0.plus(Duration.ofDays(30)),
            null);
    store.keys().create(key);
    assertThat(store.keys().findByHash(key.keyHash())).contains(key);
    assertThat(store.keys().find("key_a")).contains(key);
    assertThat(store.keys().findByHash("sha256:" + "b".repeat(64))).isEmpty();
    assertThat(store.keys().find("key_b")).isEmpty();
  }

  @Test
  void anyModelAndAnyPipelineStayNullAndNoListStaysDistinctFromAnEmptyOne() {
    ManagedKey any = key("key_any", "acme", T0);
    ManagedKey none =
        new ManagedKey(
            "key_none",
            "sha256:" + "c".repeat(64),
            "bk-none",
            "acme",
            null,
            false,
            List.of(),
            List.of(),
            TenantLimits.UNLIMITED,
            "ops",
            T0,
            null,
            null);
    store.keys().create(any);
    store.keys().create(none);
    assertThat(store.keys().find("key_any").orElseThrow().models()).isNull();
    assertThat(store.keys().find("key_none").orElseThrow().models()).isEmpty();
    assertThat(store.keys().find("key_none").orElseThrow().mayCall("default")).isFalse();
    assertThat(store.keys().find("key_any").orElseThrow().mayCall("default")).isTrue();
  }

  @Test
  void aTakenIdOrHashIsRefused() {
    ManagedKey key = key("key_a", "acme", T0);
    store.keys().create(key);
    ManagedKey sameHash =
        new ManagedKey(
            "key_other",
            key.keyHash(),
            "bk-x",
            "beta",
            null,
            false,
            null,
            null,
            null,
            "ops",
            T0,
            null,
            null);
    assertThatThrownBy(() -> store.keys().create(sameHash))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.keys().create(key(key.id(), "beta", T0)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(store.keys().findByHash(key.keyHash()).orElseThrow().tenant()).isEqualTo("acme");
  }

  @Test
  void revocationStandsFromItsFirstTimeAndKeepsTheRow() {
    store.keys().create(key("key_a", "acme", T0));
    Instant first = T0.plusSeconds(60);
    assertThat(store.keys().revoke("key_a", first).orElseThrow().revokedAt()).isEqualTo(first);
    assertThat(store.keys().revoke("key_a", first.plusSeconds(60)).orElseThrow().revokedAt())
        .isEqualTo(first);
    ManagedKey revoked = store.keys().findByHash(key("key_a", "acme", T0).keyHash()).orElseThrow();
    assertThat(revoked.usableAt(first)).isFalse();
    assertThat(revoked.usableAt(T0)).isFalse();
    assertThat(store.keys().revoke("key_nope", first)).isEmpty();
  }

  @Test
  void listsNewestFirstByTenantWithRevokedKeysOnlyWhenAsked() {
    store.keys().create(key("key_1", "acme", T0));
    store.keys().create(key("key_2", "beta", T0.plusSeconds(1)));
    store.keys().create(key("key_3", "acme", T0.plusSeconds(2)));
    store.keys().revoke("key_1", T0.plusSeconds(3));
    assertThat(store.keys().list(null, true))
        .extracting(ManagedKey::id)
        .containsExactly("key_3", "key_2", "key_1");
    assertThat(store.keys().list("acme", true))
        .extracting(ManagedKey::id)
        .containsExactly("key_3", "key_1");
    assertThat(store.keys().list("acme", false))
        .extracting(ManagedKey::id)
        .containsExactly("key_3");
  }

  @Test
  void anExpiredKeyIsNotUsableFromItsExpiry() {
    Instant expiry = T0.plusSeconds(10);
    ManagedKey key =
        new ManagedKey(
            "key_e",
            "sha256:" + "e".repeat(64),
            "bk-e",
            "acme",
            null,
            false,
            null,
            null,
            null,
            "ops",
            T0,
            expiry,
            null);
    store.keys().create(key);
    ManagedKey read = store.keys().find("key_e").orElseThrow();
    assertThat(read.usableAt(expiry.minusMillis(1))).isTrue();
    assertThat(read.usableAt(expiry)).isFalse();
    assertThat(read.expiredAt(expiry)).isTrue();
  }
}
