package dev.ballast.console;

/**
 * Real traffic for the console to show, made through the public API: gateway calls (plain, failed
 * over, streamed) for two tenants, a pipeline run that succeeded, one that died at its webhook,
 * memory written by a pipeline, and a collection with two generations.
 */
record ConsoleSeed(
    String acmeChat, String acmeFailover, String globexChat, String digest, String dead) {

  static ConsoleSeed plant(ConsoleFixture f) {
    String acmeChat = f.chat(ConsoleFixture.ACME_KEY, "default", "hello from acme", false);
    String failover = f.chat(ConsoleFixture.ACME_KEY, "failover", "fail over please", false);
    // Enough failed attempts on the failing deployment to open its breaker (window 20).
    for (int i = 0; i < 10; i++) {
      f.chat(ConsoleFixture.ACME_KEY, "failover", "again " + i, false);
    }
    f.chat(ConsoleFixture.ACME_KEY, "stream", "stream to me", true);
    f.chat(ConsoleFixture.ACME_KEY, "large", "a large answer", false);
    String globexChat = f.chat(ConsoleFixture.GLOBEX_KEY, "default", "hello from globex", false);
    String digest =
        f.submit(
            ConsoleFixture.ACME_KEY,
            "digest",
            "{\"text\":\"Ballast keeps AI systems answering.\"}");
    f.awaitState(ConsoleFixture.ACME_KEY, digest, "succeeded");
    String remember =
        f.submit(
            ConsoleFixture.ACME_KEY,
            "remember",
            "{\"conversation_id\":\"c1\",\"text\":\"my favourite colour is teal\"}");
    f.awaitState(ConsoleFixture.ACME_KEY, remember, "succeeded");
    String remember2 =
        f.submit(
            ConsoleFixture.ACME_KEY,
            "remember",
            "{\"conversation_id\":\"c1\",\"text\":\"and I live in Lisbon\"}");
    f.awaitState(ConsoleFixture.ACME_KEY, remember2, "succeeded");
    String dead = f.submit(ConsoleFixture.ACME_KEY, "notify", "{\"id\":\"doc-7\"}");
    f.awaitState(ConsoleFixture.ACME_KEY, dead, "dead");
    f.ingest(
        ConsoleFixture.ACME_KEY,
        "docs",
        "{\"documents\":[{\"id\":\"resume.md\",\"content_type\":\"text/markdown\",\"text\":\"# Resuming"
            + " dead runs\\n\\nA dead run is resumed at its failed stage with a fresh attempt"
            + " count.\"},{\"id\":\"breakers.md\",\"content_type\":\"text/markdown\",\"text\":\"#"
            + " Breakers\\n\\nAn open breaker skips its deployment until it half-opens.\"}]}");
    f.ingest(
        ConsoleFixture.ACME_KEY,
        "docs",
        "{\"documents\":[{\"id\":\"budgets.md\",\"content_type\":\"text/markdown\",\"text\":\"#"
            + " Retry budgets\\n\\nRetries are a share of recent traffic.\"}],\"remove\":[\"breakers.md\"]}");
    for (String id : new String[] {acmeChat, failover, digest, dead}) {
      f.awaitJournaled(ConsoleFixture.ACME_KEY, id);
    }
    f.awaitJournaled(ConsoleFixture.GLOBEX_KEY, globexChat);
    return new ConsoleSeed(acmeChat, failover, globexChat, digest, dead);
  }
}
