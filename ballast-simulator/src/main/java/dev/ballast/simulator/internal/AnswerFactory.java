package dev.ballast.simulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.ballast.core.model.ChatRequest;
import dev.ballast.core.model.FinishReason;
import dev.ballast.core.model.Message;
import dev.ballast.core.model.ResponseFormat;
import dev.ballast.core.model.Role;
import dev.ballast.core.model.ToolDefinition;
import dev.ballast.simulator.Drift;
import java.util.ArrayList;
import java.util.List;

/**
 * Derives the answer from the request alone, so the same request always gets the same answer: a
 * tool call when tools are offered, a schema instance for structured output, text otherwise. Tokens
 * are counted the simulator's way: one word is one output token, and input is one token per four
 * characters (cheap, and stable across runs).
 */
public final class AnswerFactory {
  private static final String[] FILLER = {
    "the",
    "simulator",
    "keeps",
    "answering",
    "with",
    "steady",
    "deterministic",
    "words",
    "so",
    "tests",
    "can",
    "count",
    "every",
    "token",
    "they",
    "see"
  };
  private static final int PROMPT_WORDS = 8;
  private static final int JSON_PIECE_CHARS = 8;

  private AnswerFactory() {}

  /** What a refusing model says instead of the answer. */
  public static final String REFUSAL = "I'm sorry, but I can't help with that.";

  private static final String[] OFF_TOPIC = {
    "Here",
    " is",
    " some",
    " general",
    " information",
    " that",
    " may",
    " not",
    " be",
    " related",
    " at",
    " all."
  };

  /** How Ballast's continuation instruction begins (see the gateway's ContinuationRequest). */
  public static final String CONTINUE_INSTRUCTION = "Your previous answer was cut off. Continue";

  // A model asked by instruction to continue restarts this many tokens back, as real ones often do.
  private static final int INSTRUCTION_OVERLAP = 2;

  /**
   * The answer to a request; a request that continues an answer (a trailing assistant message, or
   * an assistant message followed by the continuation instruction) gets the rest of the answer the
   * conversation before it would have had: after a prefill exactly from where it ends, after the
   * instruction from a couple of tokens earlier.
   */
  public static Answer answer(ChatRequest request, Plan plan) {
    List<Message> messages = request.messages();
    int n = messages.size();
    if (n >= 2 && messages.getLast().role() == Role.ASSISTANT) {
      return rest(request, messages.subList(0, n - 1), messages.getLast().text(), 0, plan);
    }
    if (n >= 3
        && messages.getLast().role() == Role.USER
        && messages.getLast().text().startsWith(CONTINUE_INSTRUCTION)
        && messages.get(n - 2).role() == Role.ASSISTANT) {
      return rest(
          request,
          messages.subList(0, n - 2),
          messages.get(n - 2).text(),
          INSTRUCTION_OVERLAP,
          plan);
    }
    return fresh(request, plan);
  }

  private static Answer rest(
      ChatRequest request, List<Message> before, String partial, int overlap, Plan plan) {
    Answer full =
        fresh(
            new ChatRequest(
                request.model(),
                before,
                request.tools(),
                request.toolChoice(),
                request.responseFormat(),
                request.temperature(),
                request.topP(),
                request.maxTokens(),
                request.stop(),
                request.stream(),
                request.user()),
            plan);
    if (full.isToolCall()) {
      return full;
    }
    List<String> pieces = full.pieces();
    StringBuilder done = new StringBuilder();
    int i = 0;
    while (i < pieces.size() && partial.startsWith(done + pieces.get(i))) {
      done.append(pieces.get(i++));
    }
    List<String> rest = new ArrayList<>();
    if (i < pieces.size() && partial.length() > done.length()) {
      // Cut inside a token: the rest of that token first.
      String piece = pieces.get(i);
      String sent = partial.substring(done.length());
      rest.add(piece.startsWith(sent) ? piece.substring(sent.length()) : piece);
      i++;
    } else {
      i = Math.max(0, i - overlap);
    }
    rest.addAll(pieces.subList(i, pieces.size()));
    rest.removeIf(String::isEmpty);
    return new Answer(
        String.join("", rest),
        null,
        null,
        null,
        full.finishReason(),
        inputTokens(request),
        rest.size(),
        rest);
  }

  private static Answer fresh(ChatRequest request, Plan plan) {
    int input = inputTokens(request);
    if (plan.refused()) {
      return text(words(REFUSAL), input);
    } else if (plan.offTopic()) {
      return text(offTopic(plan.spec().tokens()), input);
    }
    ToolDefinition tool = chosenTool(request);
    if (tool != null) {
      JsonNode args = SchemaInstances.instanceOf(tool.parameters());
      List<String> pieces = split(args.toString());
      String id = "call_sim_" + plan.sequence();
      return new Answer(
          null, tool.name(), id, args, FinishReason.TOOL_CALLS, input, pieces.size(), pieces);
    }
    ResponseFormat format = request.responseFormat();
    if (format != null && format.type() != ResponseFormat.Type.TEXT) {
      return json(request, plan, format, input);
    }
    List<String> words = words(request, plan.spec().tokens());
    boolean truncated = request.maxTokens() != null && request.maxTokens() < words.size();
    List<String> pieces = truncated ? words.subList(0, request.maxTokens()) : words;
    FinishReason finish = truncated ? FinishReason.LENGTH : FinishReason.STOP;
    return new Answer(
        String.join("", pieces), null, null, null, finish, input, pieces.size(), pieces);
  }

  private static Answer json(ChatRequest request, Plan plan, ResponseFormat format, int input) {
    JsonNode value =
        format.type() == ResponseFormat.Type.JSON_SCHEMA
            ? SchemaInstances.instanceOf(format.schema())
            : JsonNodeFactory.instance
                .objectNode()
                .put("answer", String.join("", words(request, plan.spec().tokens())));
    String text = value.toString();
    if (plan.spec().drifts(Drift.FENCED_JSON)) {
      text = "```json\n" + text + "\n```";
    }
    List<String> pieces = split(text);
    return new Answer(text, null, null, null, FinishReason.STOP, input, pieces.size(), pieces);
  }

  private static Answer text(List<String> words, int input) {
    return new Answer(
        String.join("", words), null, null, null, FinishReason.STOP, input, words.size(), words);
  }

  private static List<String> words(String sentence) {
    List<String> words = new ArrayList<>();
    String[] parts = sentence.split(" ");
    for (int i = 0; i < parts.length; i++) {
      words.add(i == 0 ? parts[i] : " " + parts[i]);
    }
    return words;
  }

  /**
   * An answer of the usual length that no longer echoes the prompt: what a model whose quality
   * dropped says, to anything compared with a reference answer.
   */
  private static List<String> offTopic(int count) {
    List<String> words = new ArrayList<>(List.of(OFF_TOPIC).subList(0, Math.min(count, 12)));
    for (int i = 0; words.size() < count; i++) {
      words.add(" " + FILLER[(i * 7 + 3) % FILLER.length]);
    }
    return words;
  }

  private static ToolDefinition chosenTool(ChatRequest request) {
    List<Message> messages = request.messages();
    JsonNode choice = request.toolChoice();
    if (request.tools().isEmpty()
        || messages.isEmpty()
        || messages.getLast().role() != Role.USER
        || (choice != null && "none".equals(choice.asText()))) {
      return null;
    }
    String named = choice == null ? "" : choice.path("function").path("name").asText("");
    return request.tools().stream()
        .filter(t -> t.name().equals(named))
        .findFirst()
        .orElse(request.tools().getFirst());
  }

  /** "Simulated answer to: <start of the last user message>" and filler, as word tokens. */
  private static List<String> words(ChatRequest request, int count) {
    List<String> words = new ArrayList<>(List.of("Simulated", " answer", " to:"));
    String prompt = lastUserText(request).strip();
    if (!prompt.isEmpty()) {
      String[] promptWords = prompt.split("\\s+");
      for (int i = 0; i < Math.min(PROMPT_WORDS, promptWords.length); i++) {
        words.add(" " + promptWords[i]);
      }
    }
    for (int i = 0; words.size() < count; i++) {
      words.add(" " + FILLER[i % FILLER.length]);
    }
    return List.copyOf(words.subList(0, Math.min(count, words.size())));
  }

  private static String lastUserText(ChatRequest request) {
    for (Message m : request.messages().reversed()) {
      if (m.role() == Role.USER) {
        return m.text();
      }
    }
    return "";
  }

  private static int inputTokens(ChatRequest request) {
    long chars = 0;
    for (Message m : request.messages()) {
      chars += m.text().length() + 4;
    }
    for (ToolDefinition t : request.tools()) {
      chars +=
          t.name().length() + (t.parameters() == null ? 0 : t.parameters().toString().length());
    }
    return (int) Math.max(1, (chars + 3) / 4);
  }

  private static List<String> split(String text) {
    List<String> pieces = new ArrayList<>();
    for (int i = 0; i < text.length(); i += JSON_PIECE_CHARS) {
      pieces.add(text.substring(i, Math.min(text.length(), i + JSON_PIECE_CHARS)));
    }
    return pieces;
  }
}
