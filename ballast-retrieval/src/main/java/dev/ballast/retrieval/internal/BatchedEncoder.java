package dev.ballast.retrieval.internal;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a BERT-style sentence encoder (mean pooling) on many texts per ONNX call. Texts are
 * tokenised once, sorted by length and cut into batches whose padded size stays under a token
 * budget, so that one matrix product covers many texts with little padding; each call uses every
 * core through the runtime's own threads. A text longer than the model's 512 positions is not
 * encoded here: {@link #encode} returns null for it and the caller embeds it otherwise.
 *
 * <p>Thread-safe: the ONNX session serves concurrent calls; batches of one call run one at a time.
 */
public final class BatchedEncoder implements AutoCloseable {
  /** Positions the model has (512), [CLS] and [SEP] included. */
  public static final int MAX_POSITIONS = 512;

  /** Padded tokens per ONNX call: large enough to amortise a call, small enough for the cache. */
  static final int TOKEN_BUDGET = 8192;

  static final int MAX_BATCH = 64;

  private final OrtEnvironment environment;
  private final OrtSession session;
  private final HuggingFaceTokenizer tokenizer;
  private final boolean typeIds;

  /**
   * @param model the ONNX model's bytes
   * @param tokenizerJson the tokenizer's {@code tokenizer.json}
   * @param threads intra-op threads of the runtime (0: one per core)
   * @param spin whether the runtime's idle threads spin-wait for work (faster on a quiet machine,
   *     CPU taken from everything else on a busy one)
   */
  public BatchedEncoder(byte[] model, InputStream tokenizerJson, int threads, boolean spin)
      throws OrtException, IOException {
    this.environment = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      options.setIntraOpNumThreads(threads);
      options.addConfigEntry("session.intra_op.allow_spinning", spin ? "1" : "0");
      this.session = environment.createSession(model, options);
    }
    this.tokenizer =
        HuggingFaceTokenizer.newInstance(
            tokenizerJson, Map.of("padding", "false", "truncation", "false"));
    this.typeIds = session.getInputNames().contains("token_type_ids");
  }

  /**
   * The mean-pooled, unnormalised embedding of each text, in order; null for a text longer than
   * {@link #MAX_POSITIONS} tokens.
   */
  public List<float[]> encode(List<String> texts) throws OrtException {
    List<Encoding> encodings = new ArrayList<>(texts.size());
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      Encoding e = tokenizer.encode(texts.get(i), true, false);
      encodings.add(e);
      if (e.getIds().length <= MAX_POSITIONS) {
        order.add(i);
      }
    }
    order.sort(Comparator.comparingInt(i -> encodings.get(i).getIds().length));
    float[][] out = new float[texts.size()][];
    int from = 0;
    while (from < order.size()) {
      int to = from + 1;
      while (to < order.size()
          && to - from < MAX_BATCH
          && (to - from + 1) * encodings.get(order.get(to)).getIds().length <= TOKEN_BUDGET) {
        to++;
      }
      run(order.subList(from, to), encodings, out);
      from = to;
    }
    List<float[]> result = new ArrayList<>(texts.size());
    for (float[] v : out) {
      result.add(v);
    }
    return result;
  }

  private void run(List<Integer> batch, List<Encoding> encodings, float[][] out)
      throws OrtException {
    int rows = batch.size();
    int length = encodings.get(batch.getLast()).getIds().length;
    long[] ids = new long[rows * length];
    long[] mask = new long[rows * length];
    long[] types = new long[rows * length];
    for (int r = 0; r < rows; r++) {
      Encoding e = encodings.get(batch.get(r));
      System.arraycopy(e.getIds(), 0, ids, r * length, e.getIds().length);
      System.arraycopy(e.getAttentionMask(), 0, mask, r * length, e.getIds().length);
      System.arraycopy(e.getTypeIds(), 0, types, r * length, e.getIds().length);
    }
    long[] shape = {rows, length};
    try (OnnxTensor idsTensor = OnnxTensor.createTensor(environment, LongBuffer.wrap(ids), shape);
        OnnxTensor maskTensor = OnnxTensor.createTensor(environment, LongBuffer.wrap(mask), shape);
        OnnxTensor typesTensor =
            OnnxTensor.createTensor(environment, LongBuffer.wrap(types), shape)) {
      Map<String, OnnxTensor> inputs = new HashMap<>();
      inputs.put("input_ids", idsTensor);
      inputs.put("attention_mask", maskTensor);
      if (typeIds) {
        inputs.put("token_type_ids", typesTensor);
      }
      try (OrtSession.Result result = session.run(inputs)) {
        float[][][] hidden = (float[][][]) result.get(0).getValue();
        for (int r = 0; r < rows; r++) {
          out[batch.get(r)] = meanPool(hidden[r], encodings.get(batch.get(r)).getIds().length);
        }
      }
    }
  }

  /** The mean of the first {@code tokens} positions: the real tokens, padding excluded. */
  private static float[] meanPool(float[][] positions, int tokens) {
    float[] mean = new float[positions[0].length];
    for (int t = 0; t < tokens; t++) {
      float[] p = positions[t];
      for (int d = 0; d < mean.length; d++) {
        mean[d] += p[d];
      }
    }
    for (int d = 0; d < mean.length; d++) {
      mean[d] /= tokens;
    }
    return mean;
  }

  @Override
  public void close() throws OrtException {
    session.close();
    tokenizer.close();
  }
}
