package dev.ballast.retrieval;

import dev.ballast.core.BallastException;

/** A file the ingestor was asked to read is of a type the chunker does not understand. */
public final class UnsupportedDocumentException extends BallastException {
  private final String file;

  public UnsupportedDocumentException(String file) {
    super(
        "unsupported document type: \""
            + file
            + "\" (supported extensions: .md, .markdown, .txt, .html, .htm)");
    this.file = file;
  }

  public String file() {
    return file;
  }
}
