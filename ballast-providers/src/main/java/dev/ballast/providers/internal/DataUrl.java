package dev.ballast.providers.internal;

/** A {@code data:<media type>;base64,<data>} URL, the way clients inline images. */
record DataUrl(String mediaType, String base64) {
  private static final String PREFIX = "data:";
  private static final String MARKER = ";base64,";

  /** The parts of a base64 data URL, or null for any other URL. */
  static DataUrl parse(String url) {
    if (url == null || !url.startsWith(PREFIX)) {
      return null;
    }
    int marker = url.indexOf(MARKER);
    if (marker < 0) {
      return null;
    }
    return new DataUrl(
        url.substring(PREFIX.length(), marker), url.substring(marker + MARKER.length()));
  }
}
