package dev.ballast.core.config;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What a reload would change that a running node cannot take over: the paths of the settings that
 * need a restart. Tenants and their keys and limits, administrators, providers, deployments, model
 * groups (routes, output checks, expect pins) and the request path's resilience policies are read
 * per call and change live; the rest is wired once at start (the listening socket, the store, the
 * data directory, telemetry, the journal writer, pipelines, collections, Watch, canaries).
 */
public final class ConfigChanges {
  // Read once at start by parts that are built once: the idempotency store and the simulator.
  private static final Set<String> FIXED_RESILIENCE = Set.of("idempotencyTtl", "maxDeadline");

  private ConfigChanges() {}

  /**
   * The paths (as in the YAML file, e.g. {@code server.port}, {@code pipelines.summarize}) whose
   * change from {@code running} to {@code next} needs a restart, sorted; empty when {@code next}
   * can be swapped in live.
   */
  public static List<String> needingRestart(BallastConfig running, BallastConfig next) {
    Set<String> paths = new TreeSet<>();
    diff("server", running.server(), next.server(), paths);
    diff("store.url", running.storeUrl(), next.storeUrl(), paths);
    diff("journal", running.journal(), next.journal(), paths);
    diff("prompts", running.prompts(), next.prompts(), paths);
    diff("pipelines", running.pipelines(), next.pipelines(), paths);
    diff("workers", running.workers(), next.workers(), paths);
    diff("telemetry", running.telemetry(), next.telemetry(), paths);
    diff("collections", running.collections(), next.collections(), paths);
    diff("watch", running.watch(), next.watch(), paths);
    diff("canaries", running.canaries(), next.canaries(), paths);
    AccessConfig a = running.access();
    AccessConfig b = next.access();
    diff("access.collections", a.collections(), b.collections(), paths);
    diff("access.pipelines", a.pipelineTenants(), b.pipelineTenants(), paths);
    diff("managed_keys.cache_ttl", a.keyCacheTtl(), b.keyCacheTtl(), paths);
    for (String component : FIXED_RESILIENCE) {
      diff(
          "resilience." + snake(component),
          component(running.resilience(), component),
          component(next.resilience(), component),
          paths);
    }
    // One simulator serves every in-process simulator provider; its fault profiles are set at
    // start.
    for (String name : running.providers().keySet()) {
      ProviderConfig p = next.providers().get(name);
      if (p != null) {
        diff(
            "providers." + name + ".profiles",
            running.providers().get(name).profiles(),
            p.profiles(),
            paths);
      }
    }
    next.providers().keySet().stream()
        .filter(n -> !running.providers().containsKey(n))
        .filter(n -> !next.providers().get(n).profiles().isEmpty())
        .forEach(n -> paths.add("providers." + n + ".profiles"));
    return List.copyOf(paths);
  }

  private static void diff(String path, Object a, Object b, Set<String> paths) {
    if (same(a, b)) {
      return;
    }
    if (a != null && b != null && a.getClass().isRecord() && a.getClass() == b.getClass()) {
      for (RecordComponent c : a.getClass().getRecordComponents()) {
        diff(path + "." + snake(c.getName()), value(c, a), value(c, b), paths);
      }
    } else if (a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
      Set<Object> keys = new TreeSet<>(Comparator.comparing(String::valueOf));
      keys.addAll(ma.keySet());
      keys.addAll(mb.keySet());
      for (Object key : keys) {
        diff(path + "." + key, ma.get(key), mb.get(key), paths);
      }
    } else if (a instanceof List<?> la && b instanceof List<?> lb && la.size() == lb.size()) {
      for (int i = 0; i < la.size(); i++) {
        diff(path + "[" + i + "]", la.get(i), lb.get(i), paths);
      }
    } else {
      paths.add(path);
    }
  }

  /** Equality, except that patterns (whose {@code equals} is identity) compare by their source. */
  private static boolean same(Object a, Object b) {
    if (a instanceof Pattern pa && b instanceof Pattern pb) {
      return pa.pattern().equals(pb.pattern()) && pa.flags() == pb.flags();
    }
    if (a instanceof List<?> la && b instanceof List<?> lb && la.size() == lb.size()) {
      for (int i = 0; i < la.size(); i++) {
        if (!same(la.get(i), lb.get(i))) {
          return false;
        }
      }
      return true;
    }
    if (a != null && b != null && a.getClass().isRecord() && a.getClass() == b.getClass()) {
      for (RecordComponent c : a.getClass().getRecordComponents()) {
        if (!same(value(c, a), value(c, b))) {
          return false;
        }
      }
      return true;
    }
    if (a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
      if (!ma.keySet().equals(mb.keySet())) {
        return false;
      }
      return ma.keySet().stream().allMatch(k -> same(ma.get(k), mb.get(k)));
    }
    return Objects.equals(a, b);
  }

  private static Object component(Object record, String name) {
    for (RecordComponent c : record.getClass().getRecordComponents()) {
      if (c.getName().equals(name)) {
        return value(c, record);
      }
    }
    throw new IllegalArgumentException("no component " + name + " in " + record.getClass());
  }

  private static Object value(RecordComponent c, Object record) {
    try {
      c.getAccessor().setAccessible(true);
      return c.getAccessor().invoke(record);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("cannot read " + c.getName() + " of " + record.getClass(), e);
    }
  }

  private static String snake(String camel) {
    StringBuilder out = new StringBuilder(camel.length() + 4);
    for (char ch : camel.toCharArray()) {
      if (Character.isUpperCase(ch)) {
        out.append('_').append(Character.toLowerCase(ch));
      } else {
        out.append(ch);
      }
    }
    return out.toString();
  }
}
