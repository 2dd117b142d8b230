package dev.ballast.providers;

import java.util.List;

/** Realistic wire payloads, shaped like what the providers' public APIs return. */
final class Payloads {
  private Payloads() {}

  static final String OPENAI_TEXT =
      """
      {"id":"chatcmpl-abc123","object":"chat.completion","created":1721075000,\
      "model":"gpt-4o-mini-2024-07-18","system_fingerprint":"fp_44709d6fcb",\
      "choices":[{"index":0,"message":{"role":"assistant","content":"It is sunny in Oslo.",\
      "refusal":null},"logprobs":null,"finish_reason":"stop"}],\
      "usage":{"prompt_tokens":19,"completion_tokens":10,"total_tokens":29,\
      "prompt_tokens_details":{"cached_tokens":4,"audio_tokens":0},\
      "completion_tokens_details":{"reasoning_tokens":2,"audio_tokens":0}}}""";

  static final String OPENAI_TOOL_CALL =
      """
      {"id":"chatcmpl-t1","object":"chat.completion","model":"gpt-4o-mini",\
      "choices":[{"index":0,"message":{"role":"assistant","content":null,\
      "tool_calls":[{"id":"call_abc","type":"function","function":{"name":"weather",\
      "arguments":"{\\"city\\":\\"Oslo\\"}"}}]},"finish_reason":"tool_calls"}],\
      "usage":{"prompt_tokens":50,"completion_tokens":15,"total_tokens":65}}""";

  static final String OPENAI_TOOL_CALL_OBJECT_ARGS =
      """
      {"id":"chatcmpl-t2","object":"chat.completion","model":"gpt-4o-mini",\
      "choices":[{"index":0,"message":{"role":"assistant","content":null,\
      "tool_calls":[{"id":"call_abc","type":"function","function":{"name":"weather",\
      "arguments":{"city":"Oslo"}}}]},"finish_reason":"tool_calls"}],\
      "usage":{"prompt_tokens":50,"completion_tokens":15,"total_tokens":65}}""";

  static final String OPENAI_RENAMED_TEXT =
      """
      {"id":"chatcmpl-r1","object":"chat.completion","model":"gpt-4o-mini",\
      "choices":[{"index":0,"message":{"role":"assistant","text":"Renamed hello"},\
      "finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":2}}""";

  static final String OPENAI_EMBEDDINGS =
      """
      {"object":"list","data":[\
      {"object":"embedding","index":1,"embedding":[0.3,0.4]},\
      {"object":"embedding","index":0,"embedding":[0.1,0.2]}],\
      "model":"text-embedding-3-small","usage":{"prompt_tokens":4,"total_tokens":4}}""";

  /** One SSE event of a chat.completion.chunk with the given delta fields and finish reason. */
  static String openAiChunk(String deltaFields, String finishReason) {
    return "data: {\"id\":\"chatcmpl-s1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
        + "\"model\":\"gpt-4o-mini-2024-07-18\",\"system_fingerprint\":\"fp_1\",\"choices\":"
        + "[{\"index\":0,\"delta\":{"
        + deltaFields
        + "},\"logprobs\":null,\"finish_reason\":"
        + finishReason
        + "}],\"usage\":null}\n\n";
  }

  static final List<String> OPENAI_STREAM_WITH_TOOL =
      List.of(
          openAiChunk("\"role\":\"assistant\",\"content\":\"\"", null),
          openAiChunk("\"content\":\"Let me \"", null),
          openAiChunk("\"content\":\"check.\"", null),
          openAiChunk(
              "\"tool_calls\":[{\"index\":0,\"id\":\"call_9\",\"type\":\"function\","
                  + "\"function\":{\"name\":\"weather\",\"arguments\":\"\"}}]",
              null),
          openAiChunk(
              "\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\\\":\"}}]",
              null),
          openAiChunk(
              "\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"Oslo\\\"}\"}}]",
              null),
          openAiChunk("", "\"tool_calls\""),
          "data: {\"id\":\"chatcmpl-s1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
              + "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[],"
              + "\"usage\":{\"prompt_tokens\":30,\"completion_tokens\":12,\"total_tokens\":42}}\n\n",
          "data: [DONE]\n\n");

  static final String ANTHROPIC_TOOL_USE =
      """
      {"id":"msg_01XFDUDYJgAACzvnptvVoYEL","type":"message","role":"assistant",\
      "model":"claude-sonnet-4-20250514","content":[\
      {"type":"text","text":"I'll check the weather."},\
      {"type":"tool_use","id":"toolu_01A09q90qw90lq917835lq9","name":"weather",\
      "input":{"city":"Oslo"}}],"stop_reason":"tool_use","stop_sequence":null,\
      "usage":{"input_tokens":100,"cache_creation_input_tokens":0,\
      "cache_read_input_tokens":20,"output_tokens":30}}""";

  static final List<String> ANTHROPIC_STREAM =
      List.of(
          """
          event: message_start
          data: {"type":"message_start","message":{"id":"msg_1","type":"message",\
          "role":"assistant","content":[],"model":"claude-sonnet-4-20250514",\
          "stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":25,\
          "cache_read_input_tokens":5,"output_tokens":1}}}

          """,
          """
          event: content_block_start
          data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

          """,
          """
          event: ping
          data: {"type": "ping"}

          """,
          """
          event: content_block_delta
          data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Checking"}}

          """,
          """
          event: content_block_stop
          data: {"type":"content_block_stop","index":0}

          """,
          """
          event: content_block_start
          data: {"type":"content_block_start","index":1,"content_block":{"type":"tool_use",\
          "id":"toolu_9","name":"weather","input":{}}}

          """,
          """
          event: content_block_delta
          data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta",\
          "partial_json":"{\\"city\\": "}}

          """,
          """
          event: content_block_delta
          data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta",\
          "partial_json":"\\"Oslo\\"}"}}

          """,
          """
          event: content_block_stop
          data: {"type":"content_block_stop","index":1}

          """,
          """
          event: message_delta
          data: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},\
          "usage":{"output_tokens":42}}

          """,
          """
          event: message_stop
          data: {"type":"message_stop"}

          """);

  static final String OLLAMA_CHAT =
      """
      {"model":"llama3.2","created_at":"2025-01-01T00:00:00.000Z",\
      "message":{"role":"assistant","content":"Hi there."},"done_reason":"stop","done":true,\
      "total_duration":5191566416,"load_duration":2154458,"prompt_eval_count":26,\
      "prompt_eval_duration":383809000,"eval_count":298,"eval_duration":4799921000}""";

  static final String OLLAMA_TOOL_CALL =
      """
      {"model":"llama3.2","created_at":"2025-01-01T00:00:00.000Z",\
      "message":{"role":"assistant","content":"","tool_calls":[{"function":{"name":"weather",\
      "arguments":{"city":"Oslo"}}}]},"done_reason":"stop","done":true,\
      "prompt_eval_count":80,"eval_count":20}""";

  static final List<String> OLLAMA_STREAM =
      List.of(
          "{\"model\":\"llama3.2\",\"created_at\":\"t\",\"message\":{\"role\":\"assistant\","
              + "\"content\":\"The sky\"},\"done\":false}\n",
          "{\"model\":\"llama3.2\",\"created_at\":\"t\",\"message\":{\"role\":\"assistant\","
              + "\"content\":\" is blue.\"},\"done\":false}\n",
          "{\"model\":\"llama3.2\",\"created_at\":\"t\",\"message\":{\"role\":\"assistant\","
              + "\"content\":\"\"},\"done_reason\":\"stop\",\"done\":true,"
              + "\"prompt_eval_count\":12,\"eval_count\":6}\n");

  static final String OLLAMA_EMBED =
      """
      {"model":"all-minilm","embeddings":[[0.01,-0.02],[0.03,0.04]],\
      "total_duration":14143917,"load_duration":1019500,"prompt_eval_count":8}""";
}
