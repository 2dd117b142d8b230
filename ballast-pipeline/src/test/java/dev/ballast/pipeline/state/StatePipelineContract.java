package dev.ballast.pipeline.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.core.Json;
import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.ConfigLoader;
import dev.ballast.core.config.WorkersConfig;
import dev.ballast.core.journal.JournalEntry;
import dev.ballast.core.journal.JournalEvent;
import dev.ballast.core.journal.JournalWriter;
import dev.ballast.core.journal.JournalWriterConfig;
import dev.ballast.core.journal.Payload;
import dev.ballast.core.pipeline.Pipeline;
import dev.ballast.core.queue.QueueState;
import dev.ballast.core.spi.DocumentStore;
import dev.ballast.core.spi.MemoryStore;
import dev.ballast.core.spi.Store;
import dev.ballast.core.state.DocumentChunks;
import dev.ballast.core.state.MemoryEntry;
import dev.ballast.core.state.MemoryMutation;
import dev.ballast.core.state.MemoryWrite;
import dev.ballast.core.state.NewChunk;
import dev.ballast.core.state.StatePins;
import dev.ballast.core.state.UnknownCollectionException;
import dev.ballast.pipeline.EngineSettings;
import dev.ballast.pipeline.PipelineEngine;
import dev.ballast.pipeline.StateServices;
import dev.ballast.pipeline.SubmitRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pipeline stages that read and write versioned state, on a real store: runs pin the memory version
 * and the collection generations at submission, and every stage reads as of those pins
 * (docs/state.md, invariants 2, 6, 8, 9).
 */
abstract class StatePipelineContract {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final WorkersConfig FAST =
      new WorkersConfig(2, Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofMillis(50));
  private static final String CONFIG =
      """
      providers: {sim: {type: simulator}}
      deployments: {d1: {provider: sim, model: sim}}
      groups: {fast: {deployments: [d1], context_window: 300}}
      tenants: {t: {keys: ["sha256:%s"]}}
      collections: {docs: {}}
      prompts:
        rag: {system: "Answer from the sources.", user: "{{input.question}}"}
      pipelines:
        rag:
          stages:
            - {name: find, type: retrieve, collection: docs, query: "{{input.question}}", k: 3,
               mode: keyword}
            - {name: context, type: assemble_context, group: fast, prompt: rag, chunks: find,
               conversation: "{{input.conversation_id}}", reserve_output: RESERVE}
            - {name: answer, type: transform, output: {text: "noted: {{input.question}}"},
               retry: {max_attempts: 3, backoff: 10ms}}
            - name: remember
              type: memory_update
              conversation: "{{input.conversation_id}}"
              retry: {max_attempts: 3, backoff: 10ms}
              append:
                - {role: user, content: "{{input.question}}"}
                - {role: assistant, content: "{{stages.answer.text}}"}
      """
          .formatted("a".repeat(64));

  protected Store store;
  private JournalWriter journal;
  private final List<PipelineEngine> engines = new ArrayList<>();

  @TempDir Path spool;

  protected abstract Store newStore();

  /** Drops what the store left behind, after everything using it has stopped. */
  protected void afterStoreClosed() throws Exception {}

  @BeforeEach
  void open() {
    store = newStore();
    journal = JournalWriter.start(store.journal(), JournalWriterConfig.defaults(spool));
    documents().ensureCollection("docs", "test/words", 2);
  }

  @AfterEach
  void close() throws Exception {
    engines.forEach(e -> e.stop(Duration.ofMillis(200)));
    journal.close();
    store.close();
    afterStoreClosed();
  }

  DocumentStore documents() {
    return store.documents();
  }

  MemoryStore memory() {
    return store.memory();
  }

  @Test
  void retrievalReadsThePinnedGenerationEvenWhenANewerOneIsCommittedBeforeTheRunExecutes() {
    ingest("boiler", "The boiler pressure should be 1.5 bar when cold.");
    PipelineEngine gateway = engine(10, false, memory());
    String pinnedRun = submit(gateway, "what boiler pressure", "c1");
    ingest("boiler", "The boiler pressure should be 2.0 bar when cold.");
    String laterRun = submit(gateway, "what boiler pressure", "c2");

    PipelineEngine worker = engine(10, true, memory());
    awaitSucceeded(worker, pinnedRun);
    awaitSucceeded(worker, laterRun);

    JournalEvent.Retrieval pinned = only(pinnedRun, JournalEvent.Retrieval.class);
    JournalEvent.Retrieval later = only(laterRun, JournalEvent.Retrieval.class);
    assertThat(pinned.generation()).isEqualTo(1);
    assertThat(pinned.indexGeneration()).isEqualTo(2);
    assertThat(pinned.results().getFirst().contentHash())
        .isEqualTo(hash("The boiler pressure should be 1.5 bar when cold."));
    assertThat(later.generation()).isEqualTo(2);
    assertThat(later.results().getFirst().contentHash())
        .isEqualTo(hash("The boiler pressure should be 2.0 bar when cold."));
    JournalEvent.RunStarted started = only(pinnedRun, JournalEvent.RunStarted.class);
    assertThat(started.pins().state()).isEqualTo(new StatePins("t/c1", 0, Map.of("docs", 1L)));
  }

  @Test
  void memoryIsReadAsOfTheVersionPinnedAtSubmissionNotTheLatest() {
    ingest("boiler", "The boiler pressure should be 1.5 bar when cold.");
    write("t/c1", 0, new MemoryMutation.AppendTurn("user", "hello"));
    write("t/c1", 1, new MemoryMutation.AppendTurn("assistant", "hi"));
    PipelineEngine gateway = engine(10, false, memory());
    String run = submit(gateway, "what boiler pressure", "c1");
    write("t/c1", 2, new MemoryMutation.AppendTurn("user", "written after the run was submitted"));

    awaitSucceeded(engine(10, true, memory()), run);

    JournalEvent.MemoryRead read = only(run, JournalEvent.MemoryRead.class);
    assertThat(read.version()).isEqualTo(2);
    JournalEvent.MemoryMutated mutated = only(run, JournalEvent.MemoryMutated.class);
    // The write is rebased onto the latest version, so the later turn is not lost.
    assertThat(mutated.versionBefore()).isEqualTo(3);
    assertThat(mutated.versionAfter()).isEqualTo(5);
    assertThat(mutated.applied()).isTrue();
    assertThat(memory().history("t/c1", 10))
        .extracting(e -> ((MemoryMutation.AppendTurn) e.mutation()).content())
        .containsExactly(
            "hello",
            "hi",
            "written after the run was submitted",
            "what boiler pressure",
            "noted: what boiler pressure");
  }

  @Test
  void aMemoryWriteReExecutedAfterItWasAppliedIsRecognisedAndNotAppliedTwice() {
    ingest("boiler", "The boiler pressure should be 1.5 bar when cold.");
    // The first write reaches the store, then the worker "crashes" before the stage completes.
    AtomicBoolean crashOnce = new AtomicBoolean(true);
    MemoryStore crashing =
        new MemoryStore() {
          @Override
          public MemoryWrite write(
              String c, long expected, List<MemoryMutation> m, String key, Instant now) {
            MemoryWrite w = memory().write(c, expected, m, key, now);
            if (crashOnce.getAndSet(false)) {
              throw new IllegalStateException("worker lost after the write was applied");
            }
            return w;
          }

          @Override
          public long currentVersion(String c) {
            return memory().currentVersion(c);
          }

          @Override
          public List<MemoryEntry> history(String c, long upTo) {
            return memory().history(c, upTo);
          }
        };
    PipelineEngine engine = engine(10, true, crashing);
    String run = submit(engine, "what boiler pressure", "c1");
    awaitSucceeded(engine, run);

    assertThat(memory().history("t/c1", 100)).hasSize(2);
    JournalEvent.MemoryMutated mutated = only(run, JournalEvent.MemoryMutated.class);
    assertThat(mutated.applied()).isFalse();
    assertThat(mutated.versionBefore()).isZero();
    assertThat(mutated.versionAfter()).isEqualTo(2);
  }

  @Test
  void contextAssemblyRecordsEveryChunkItCutToFitTheBudget() {
    String filler = " boiler".repeat(30);
    ingest("a", "The boiler pressure is high." + filler);
    ingest("b", "The boiler pressure is low." + filler);
    ingest("c", "The boiler pressure is fine." + filler);
    // A 300-token window minus 200 reserved leaves 100 words: room for two chunks of ~35.
    PipelineEngine engine = engine(200, true, memory());
    String run = submit(engine, "what boiler pressure", "c1");
    awaitSucceeded(engine, run);

    JournalEvent.ContextAssembled assembled = only(run, JournalEvent.ContextAssembled.class);
    assertThat(assembled.budget()).isEqualTo(100);
    assertThat(assembled.used()).isLessThanOrEqualTo(100);
    assertThat(assembled.included()).filteredOn(i -> i.kind().equals("chunk")).hasSize(2);
    assertThat(assembled.cut())
        .singleElement()
        .satisfies(
            cut -> {
              assertThat(cut.kind()).isEqualTo("chunk");
              assertThat(cut.reason()).isEqualTo("dropped_budget");
              assertThat(assembled.used() + cut.originalTokens()).isGreaterThan(100);
            });
  }

  @Test
  void aSubmissionWhoseInputDoesNotNameTheConversationIsRefusedWithTheReason() {
    ingest("boiler", "The boiler pressure should be 1.5 bar when cold.");
    PipelineEngine engine = engine(10, false, memory());
    ObjectNode input = Json.mapper().createObjectNode().put("question", "what boiler pressure");
    assertThatThrownBy(() -> engine.submit(new SubmitRequest("rag", "t", input, null, null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("stage context reads conversation \"{{input.conversation_id}}\"")
        .hasMessageContaining("input.conversation_id");
  }

  @Test
  void aPipelineSearchingACollectionThatDoesNotExistIsRefusedAtSubmission() {
    // Configured (so that its tenants may read it), but nothing was ever ingested into it.
    String yaml =
        CONFIG
            .replace("collection: docs", "collection: nowhere")
            .replace("collections: {docs: {}}", "collections: {docs: {}, nowhere: {}}");
    PipelineEngine engine = engine(pipeline(yaml, 10), false, memory());
    assertThatThrownBy(() -> submit(engine, "anything", "c1"))
        .isInstanceOf(UnknownCollectionException.class)
        .hasMessageContaining("\"nowhere\"");
  }

  private void ingest(String document, String text) {
    documents()
        .commit(
            "docs",
            "test/words",
            List.of(
                new DocumentChunks(
                    document,
                    document,
                    "text/plain",
                    hash(text),
                    List.of(new NewChunk(0, text, hash(text), List.of(), new float[] {1, 0})))),
            List.of());
  }

  private void write(String conversation, long expected, MemoryMutation mutation) {
    memory().write(conversation, expected, List.of(mutation), null, Instant.now());
  }

  private static String hash(String text) {
    return Payload.sha256(text.getBytes(StandardCharsets.UTF_8));
  }

  private static Pipeline pipeline(String yaml, int reserve) {
    BallastConfig config =
        ConfigLoader.parse(
            "state.yaml", yaml.replace("RESERVE", String.valueOf(reserve)), Map.of());
    return Pipeline.of(config.pipeline("rag").orElseThrow());
  }

  private PipelineEngine engine(int reserve, boolean runWorkers, MemoryStore memory) {
    return engine(pipeline(CONFIG, reserve), runWorkers, memory);
  }

  private PipelineEngine engine(Pipeline pipeline, boolean runWorkers, MemoryStore memory) {
    PipelineEngine engine =
        PipelineEngine.start(
            EngineSettings.of("node-" + engines.size(), store.runQueue(), List.of(pipeline), FAST)
                .withJournal(journal)
                .withRunWorkers(runWorkers)
                .withState(
                    new StateServices(
                        documents(), memory, new KeywordRetriever(documents()), new WordPacker())));
    engines.add(engine);
    return engine;
  }

  private static String submit(PipelineEngine engine, String question, String conversation) {
    ObjectNode input =
        Json.mapper()
            .createObjectNode()
            .put("question", question)
            .put("conversation_id", conversation);
    return engine.submit(new SubmitRequest("rag", "t", input, null, null)).run().runId();
  }

  private static void awaitSucceeded(PipelineEngine engine, String runId) {
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(20))
        .untilAsserted(
            () -> {
              var run = engine.find(runId).orElseThrow();
              assertThat(run.state())
                  .as("run %s (error %s)", runId, run.error())
                  .isIn(QueueState.SUCCEEDED, QueueState.FAILED, QueueState.DEAD);
            });
    var run = engine.find(runId).orElseThrow();
    assertThat(run.state())
        .as("run %s ended with %s", runId, run.error())
        .isEqualTo(QueueState.SUCCEEDED);
  }

  private <T extends JournalEvent> T only(String runId, Class<T> type) {
    journal.flush(Duration.ofSeconds(5));
    List<T> found = new ArrayList<>();
    for (JournalEntry e : store.journal().events(runId)) {
      if (type.isInstance(e.event())) {
        found.add(type.cast(e.event()));
      }
    }
    assertThat(found).as("%s events of run %s", type.getSimpleName(), runId).hasSize(1);
    return found.getFirst();
  }
}
