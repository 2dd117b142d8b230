package dev.ballast.calls;

/** The requested model names no configured model group. */
public final class UnknownModelException extends CallRefusedException {
  private final String model;

  public UnknownModelException(String model) {
    super(
        "The model '"
            + model
            + "' does not exist. GET /v1/models lists the models this gateway serves.",
        null);
    this.model = model;
  }

  public String model() {
    return model;
  }
}
