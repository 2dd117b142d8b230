package dev.ballast.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.core.spi.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StoresTest {
  @TempDir Path dir;

  @Test
  void opensTheDefaultSqliteDatabaseInTheDataDirectory() {
    try (Store store = Stores.open("sqlite:", dir.resolve("data"))) {
      assertThat(store.backend()).isEqualTo("sqlite");
    }
    assertThat(dir.resolve("data/ballast.db")).exists();
  }

  @Test
  void opensASqliteDatabaseAtAGivenPathAndReopensItMigrated() {
    Path file = dir.resolve("nested/journal.db");
    Stores.open("sqlite:" + file, dir).close();

    try (Store store = Stores.open("jdbc:sqlite:" + file, dir)) {
      assertThat(store.journal().events("none")).isEmpty();
    }
    assertThat(Files.exists(file)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "mysql://localhost/db", "postgresql:///db", "postgresql://host"})
  void rejectsAUrlItDoesNotUnderstandAndShowsTheAcceptedForms(String url) {
    assertThatThrownBy(() -> Stores.open(url, dir))
        .isInstanceOf(InvalidStoreUrlException.class)
        .hasMessageContaining("invalid store URL")
        .hasMessageContaining("accepted forms: 'sqlite:'");
  }

  @Test
  void rejectsASchemaThatIsNotAPlainIdentifier() {
    assertThatThrownBy(() -> Stores.open("postgresql://h/db?schema=x;drop", dir))
        .hasMessageContaining("schema 'x;drop' must be a plain identifier");
  }

  @Test
  void neverShowsThePasswordOfAnInvalidUrl() {
    assertThatThrownBy(() -> Stores.open("postgresql://h?user=u&password=secret", dir))
        .hasMessageContaining("password=***")
        .hasMessageNotContaining("secret");
  }

  @Test
  void reportsAnUnreachableDatabaseInOneReadableMessage() {
    assertThatThrownBy(() -> Stores.open("postgresql://127.0.0.1:1/db?password=secret", dir))
        .isInstanceOf(StoreException.class)
        .hasMessageStartingWith("cannot open store postgresql://127.0.0.1:1/db?password=***")
        .hasMessageNotContaining("secret");
  }
}
