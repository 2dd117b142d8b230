package dev.ballast.core.pipeline;

/** The methods an {@code http_action} stage may send: the ones that change something. */
public enum HttpMethod {
  POST,
  PUT,
  PATCH,
  DELETE;

  /**
   * @throws IllegalArgumentException for any other name
   */
  public static HttpMethod fromWire(String name) {
    for (HttpMethod m : values()) {
      if (m.name().equals(name)) {
        return m;
      }
    }
    throw new IllegalArgumentException(
        "expected POST, PUT, PATCH or DELETE, but was \"" + name + "\"");
  }
}
