package dev.ballast.retrieval;

/**
 * Told how an ingestion progresses, e.g. to draw a progress bar. Called on the ingesting thread
 * after each batch of documents has been chunked and embedded, and once more just before the
 * commit; it must not throw or block.
 */
@FunctionalInterface
public interface IngestListener {
  IngestListener NONE = progress -> {};

  void progress(Progress progress);

  /**
   * @param documentsDone documents chunked and embedded so far
   * @param documentsTotal documents in this ingestion
   * @param chunksEmbedded chunks embedded so far (new content)
   * @param chunksReused chunks whose content the document already held live, not embedded again
   */
  record Progress(int documentsDone, int documentsTotal, int chunksEmbedded, int chunksReused) {}
}
