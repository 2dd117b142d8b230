package dev.ballast.core.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/** {@code embed}: embeds its rendered {@code text} template with a model group. */
public record EmbedSpec(String group, String text) implements StageSpec {
  public static final String TYPE = "embed";

  public EmbedSpec {
    Objects.requireNonNull(group, "group is required");
    Objects.requireNonNull(text, "text is required");
  }

  static EmbedSpec fromParams(ObjectNode p) {
    return new EmbedSpec(Params.required(p, "group"), Params.required(p, "text"));
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public ObjectNode params() {
    ObjectNode p = Params.empty();
    p.put("group", group);
    p.put("text", text);
    return p;
  }

  @Override
  public String defaultDependency() {
    return "model:" + group;
  }
}
