package dev.ballast.simulator.internal;

import dev.ballast.simulator.InvalidSpecException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Behaviour switched on at once by an operator ({@code POST /_sim/switch}, {@code
 * Simulator.switchTo}): directives added on top of whatever phase a model is in, from the next
 * request on. A switch names a model exactly ({@code sim:tokens=5}), by the name before its colon
 * (a profile, {@code primary}), or every model ({@code *}); the most specific one applies.
 * Thread-safe.
 */
public final class Switches {
  /** The switch key that applies to every model. */
  public static final String EVERY_MODEL = "*";

  private final Map<String, String> byModel = new ConcurrentHashMap<>();

  /**
   * Switches a model's behaviour; empty directives remove the switch.
   *
   * @throws InvalidSpecException when the directives do not parse or hold an onset
   */
  public void set(String model, String directives) {
    String text = directives == null ? "" : directives.strip();
    if (text.isEmpty()) {
      byModel.remove(model);
      return;
    }
    SpecParser.phaseSpec(text);
    byModel.put(model, text);
  }

  /** The directives switched on for a model name, or null. */
  public String of(String model) {
    String exact = byModel.get(model);
    if (exact != null) {
      return exact;
    }
    int colon = model.indexOf(':');
    String base = colon < 0 ? null : byModel.get(model.substring(0, colon));
    return base != null ? base : byModel.get(EVERY_MODEL);
  }

  /** Every switch, by key. */
  public Map<String, String> all() {
    return new TreeMap<>(byModel);
  }

  public void clear() {
    byModel.clear();
  }
}
