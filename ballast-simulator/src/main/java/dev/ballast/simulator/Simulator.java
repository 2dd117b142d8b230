package dev.ballast.simulator;

import dev.ballast.simulator.internal.AttemptLog;
import dev.ballast.simulator.internal.InProcessCalls;
import dev.ballast.simulator.internal.Planner;
import java.net.InetAddress;
import java.time.Clock;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;

/**
 * A fault-injecting fake LLM provider: one deterministic behaviour engine, one attempt log, served
 * over HTTP by {@link #server(int)} and in-process by {@link #provider(String)}. Behaviour is
 * chosen per model name, see {@link SimulationSpec} for the grammar. Servers and providers made
 * from one simulator share its request counters, flap timer and log. Thread-safe.
 */
public final class Simulator {
  /** The seed used by {@link #create()}. */
  public static final long DEFAULT_SEED = 42;

  private final Planner engine;
  private final AttemptLog log = new AttemptLog();
  private final InProcessCalls calls;

  /**
   * @param seed makes random faults (error rates, latency ranges) repeatable
   * @param clock the time source for flap windows and attempt timestamps (tests pass a fake one)
   * @param profiles profile name to directive list, e.g. {@code "flaky" -> "error=0.3@503"}
   * @throws InvalidSpecException listing every invalid profile as {@code profiles.NAME: reason}
   */
  public Simulator(long seed, InstantSource clock, Map<String, String> profiles) {
    this.engine = new Planner(seed, clock, profiles);
    this.calls = new InProcessCalls(engine, log);
  }

  /** A simulator with {@link #DEFAULT_SEED}, the system clock and no profiles. */
  public static Simulator create() {
    return new Simulator(DEFAULT_SEED, Clock.systemUTC(), Map.of());
  }

  /**
   * Starts an HTTP server on the loopback address.
   *
   * @param port the port, 0 for an ephemeral one
   * @throws java.io.UncheckedIOException when the port cannot be bound
   */
  public SimulatorServer server(int port) {
    return new SimulatorServer(this, InetAddress.getLoopbackAddress(), port);
  }

  /** Starts an HTTP server on the given address, e.g. {@code 0.0.0.0} to serve other hosts. */
  public SimulatorServer server(InetAddress address, int port) {
    return new SimulatorServer(this, address, port);
  }

  /** An in-process provider with the given configured name. */
  public SimulatorProvider provider(String name) {
    return new SimulatorProvider(name, calls);
  }

  /**
   * The spec a model name resolves to.
   *
   * @throws InvalidSpecException when the model's directives are invalid
   */
  public SimulationSpec spec(String model) {
    return engine.resolve(model);
  }

  /** Every recorded attempt, oldest first (at most the latest 100,000). */
  public List<Attempt> attempts() {
    return log.all();
  }

  /** The recorded attempts whose model is exactly {@code model}. */
  public List<Attempt> attempts(String model) {
    return log.forModel(model);
  }

  /**
   * Switches a model's behaviour at once: from its next request on it behaves as its current phase
   * with {@code directives} on top (e.g. {@code refusal=0.3,latency_factor=2}), until switched
   * again or reset. The same as {@code POST /_sim/switch}.
   *
   * @param model a model name exactly, its name before the colon (a profile), or {@code *} for
   *     every model; the most specific switch applies
   * @param directives spec directives without onsets; empty to switch back
   * @throws InvalidSpecException when the directives do not parse
   */
  public void switchTo(String model, String directives) {
    engine.switches().set(model, directives);
  }

  /**
   * Clears the attempt log and the switches, restarts flap timers and timed onsets, and forgets
   * request counters (fail_first, onsets after N requests).
   */
  public void reset() {
    engine.reset();
    log.clear();
  }

  Planner engine() {
    return engine;
  }

  AttemptLog log() {
    return log;
  }
}
