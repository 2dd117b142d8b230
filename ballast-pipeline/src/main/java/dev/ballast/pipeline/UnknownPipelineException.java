package dev.ballast.pipeline;

import dev.ballast.core.BallastException;
import java.util.Collection;
import java.util.TreeSet;

/** A submission named a pipeline this node does not define. */
public class UnknownPipelineException extends BallastException {
  public UnknownPipelineException(String name, Collection<String> known) {
    super(
        "unknown pipeline \""
            + name
            + "\""
            + (known.isEmpty()
                ? " (no pipelines are configured)"
                : " (configured: " + String.join(", ", new TreeSet<>(known)) + ")"));
  }
}
