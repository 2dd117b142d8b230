package dev.ballast.core.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The placeholders of prompts, webhook bodies and transforms: {@code {{input.question}}}, {@code
 * {{stages.draft.text}}}, {@code {{run.id}}}, with dotted names and {@code [n]} indexes, resolved
 * against a run's {@link StageContext#templateScope()}. A string that is exactly one placeholder
 * becomes the referenced JSON value itself; inside a longer string a value is inserted as its text
 * (strings) or JSON (everything else). A reference to something absent is an error naming it, never
 * an empty string.
 */
public final class Template {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([^}]+?)\\s*}}");
  private static final Pattern SEGMENT = Pattern.compile("([^.\\[\\]]+)|\\[(\\d+)]");

  private Template() {}

  /** Renders every string in {@code template} (objects and arrays are walked). */
  public static JsonNode render(JsonNode template, JsonNode scope) {
    if (template == null || template.isNull()) {
      return template;
    }
    if (template.isTextual()) {
      return renderValue(template.asText(), scope);
    }
    if (template.isObject()) {
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      Iterator<Map.Entry<String, JsonNode>> fields = template.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> e = fields.next();
        out.set(e.getKey(), render(e.getValue(), scope));
      }
      return out;
    }
    if (template.isArray()) {
      ArrayNode out = JsonNodeFactory.instance.arrayNode();
      template.forEach(child -> out.add(render(child, scope)));
      return out;
    }
    return template;
  }

  /** Renders a string template to text. */
  public static String renderText(String template, JsonNode scope) {
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      JsonNode value = resolve(m.group(1), scope);
      m.appendReplacement(
          out, Matcher.quoteReplacement(value.isTextual() ? value.asText() : value.toString()));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static JsonNode renderValue(String text, JsonNode scope) {
    Matcher whole = PLACEHOLDER.matcher(text);
    if (whole.matches()) {
      return resolve(whole.group(1), scope);
    }
    return text.contains("{{") ? TextNode.valueOf(renderText(text, scope)) : TextNode.valueOf(text);
  }

  /** The value at a dotted path, or a {@link StageException} naming what is missing. */
  public static JsonNode resolve(String path, JsonNode scope) {
    JsonNode node = scope;
    Matcher m = SEGMENT.matcher(path);
    int consumed = 0;
    StringBuilder walked = new StringBuilder();
    while (m.find()) {
      if (m.start() != consumed && path.charAt(consumed) != '.') {
        break;
      }
      consumed = m.end();
      if (m.group(1) != null) {
        walked.append(walked.isEmpty() ? "" : ".").append(m.group(1));
        node = node == null ? null : node.get(m.group(1));
      } else {
        walked.append('[').append(m.group(2)).append(']');
        node = node == null ? null : node.get(Integer.parseInt(m.group(2)));
      }
      if (node == null || node.isMissingNode()) {
        throw new StageException(
            "template_error",
            "template placeholder {{" + path + "}} refers to " + walked + ", which is absent",
            false);
      }
      if (m.end() < path.length() && path.charAt(m.end()) == '.') {
        consumed = m.end() + 1;
      }
    }
    if (consumed != path.length() || walked.isEmpty()) {
      throw new StageException(
          "template_error", "template placeholder {{" + path + "}} is not a valid path", false);
    }
    return node;
  }
}
