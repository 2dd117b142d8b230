package dev.ballast.calls;

import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.ConfigLoader;
import dev.ballast.core.config.DeploymentConfig;
import dev.ballast.core.config.TenantConfig;
import dev.ballast.core.journal.JournalEntry;
import dev.ballast.core.journal.JournalEvent;
import dev.ballast.core.model.ChatRequest;
import dev.ballast.core.model.EmbeddingRequest;
import dev.ballast.core.model.Message;
import dev.ballast.core.model.Role;
import dev.ballast.resilience.Deadline;
import dev.ballast.resilience.Priority;
import dev.ballast.testkit.MutableClock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A model-call chain over {@link FakeProvider}s, a hand-moved clock and an in-memory journal: the
 * whole chain, no sockets, no store. Deployments {@code a} and {@code b}, in that order, serve the
 * group {@code g}; breakers open after one failure and admit one probe after a second. Groups
 * {@code checked} and {@code checked-hold} put output checks on {@code a, b}; deployments {@code
 * pinned} (recording) and {@code strict} (failing, then {@code b}) expect a model the fakes never
 * name.
 */
final class ChainHarness {
  static final String TENANT = "team";

  final MutableClock clock = new MutableClock();
  final Map<String, FakeProvider> providers = new HashMap<>();
  final List<JournalEntry> journal = new CopyOnWriteArrayList<>();
  final BallastConfig config;
  final Resilience resilience;
  final ModelCallChain chain;

  ChainHarness() {
    this("");
  }

  /**
   * @param resilienceYaml extra keys of the {@code resilience:} section
   */
  ChainHarness(String resilienceYaml) {
    String yaml =
        """
        providers:
          fake: {type: simulator}
        deployments:
          a: {provider: fake, model: up-a, max_concurrent: 2, price: {input: 1.0, output: 1.0}}
          b: {provider: fake, model: up-b, max_concurrent: 2}
          pinned: {provider: fake, model: up-p, expect: {model: pinned-model}}
          strict: {provider: fake, model: up-s, expect: {model: pinned-model, on_mismatch: fail}}
        groups:
          g: {deployments: [a, b]}
          only-a: {deployments: [a]}
          checked: {deployments: [a, b], checks: {non_empty: true, refusal: ["(?i)can't help"]}}
          checked-hold: {deployments: [a, b], checks: {refusal: ["(?i)can't help"], stream: hold}}
          pinned: {deployments: [pinned]}
          strict: {deployments: [strict, b]}
        tenants:
          team: {keys: ["%s"], capture: true}
        resilience:
          breaker: {failure_rate: 50, window: 2, open_wait: 1s, half_open_probes: 1}
          %s
        """
            .formatted(ConfigLoader.hashKey("bk-key"), resilienceYaml);
    this.config = ConfigLoader.parse("chain-test", yaml, Map.of());
    Map<String, Deployment> deployments = new HashMap<>();
    for (DeploymentConfig d : config.deployments().values()) {
      FakeProvider provider = new FakeProvider();
      providers.put(d.name(), provider);
      deployments.put(d.name(), new Deployment(d, provider));
    }
    this.resilience = new Resilience(config, clock);
    this.chain =
        new ModelCallChain(
            config, new Router(config, deployments), resilience, new Admission(clock));
  }

  FakeProvider provider(String deployment) {
    return providers.get(deployment);
  }

  TenantConfig tenant() {
    return config.tenants().get(TENANT);
  }

  RunRecorder run(String id) {
    return new RunRecorder(journal::add, clock, id, 0);
  }

  ChatCall chat(String group, ClientStream stream, String runId) {
    ChatRequest request =
        ChatRequest.of(group, List.of(Message.text(Role.USER, "hi"))).withStream(stream != null);
    return chat(request, stream, runId);
  }

  ChatCall chat(ChatRequest request, ClientStream stream, String runId) {
    return new ChatCall(
        tenant(),
        "openai",
        request,
        stream,
        Deadline.after(Duration.ofSeconds(30), clock),
        Priority.INTERACTIVE,
        Origin.CLIENT,
        run(runId));
  }

  EmbedCall embed(String group, List<String> input, String runId) {
    return new EmbedCall(
        tenant(),
        new EmbeddingRequest(group, input, null),
        Deadline.after(Duration.ofSeconds(30), clock),
        Priority.INTERACTIVE,
        Origin.CLIENT,
        run(runId));
  }

  List<JournalEvent> events(String runId) {
    return journal.stream().filter(e -> e.runId().equals(runId)).map(JournalEntry::event).toList();
  }
}
