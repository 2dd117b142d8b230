package dev.ballast.core.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A stage of type {@code java}, executed by a handler given in code ({@link Pipeline.Builder}).
 *
 * @param handler the handler's class name; part of the version, since the version cannot see code
 * @param version the version string given in code ({@link Pipeline.Builder#version}), or null
 */
public record CodeSpec(String handler, String version) implements StageSpec {
  public static final String TYPE = "java";

  static CodeSpec fromParams(ObjectNode p) {
    return new CodeSpec(Params.text(p, "handler"), Params.text(p, "version"));
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public ObjectNode params() {
    ObjectNode p = Params.empty();
    Params.put(p, "handler", handler);
    Params.put(p, "version", version);
    return p;
  }
}
