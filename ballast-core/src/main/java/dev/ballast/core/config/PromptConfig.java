package dev.ballast.core.config;

import dev.ballast.core.journal.Payload;
import java.nio.charset.StandardCharsets;

/**
 * {@code prompts.NAME}: a prompt template with {@code {{...}}} placeholders (see {@link
 * dev.ballast.core.pipeline.Template}).
 *
 * @param system the system message template, or null
 * @param user the user message template
 * @param version a hash of the two templates; a run's stages record it
 */
public record PromptConfig(String name, String system, String user, String version) {
  public static PromptConfig of(String name, String system, String user) {
    String content = (system == null ? "" : system) + "\u0000" + user;
    return new PromptConfig(
        name,
        system,
        user,
        Payload.sha256(content.getBytes(StandardCharsets.UTF_8)).substring(0, 12));
  }
}
