package dev.ballast.providers;

/**
 * The AWS identity a {@link ProviderApi#BEDROCK} provider signs its requests with (SigV4).
 * Immutable; validated on construction. The secrets never appear in {@link #toString()}.
 *
 * @param region the AWS region the requests are signed for and, without a base URL, sent to
 * @param accessKeyId the access key id
 * @param secretAccessKey the secret access key
 * @param sessionToken the session token of temporary credentials, or null
 */
public record AwsCredentials(
    String region, String accessKeyId, String secretAccessKey, String sessionToken) {

  public AwsCredentials {
    requireText("region", region);
    requireText("accessKeyId", accessKeyId);
    requireText("secretAccessKey", secretAccessKey);
    if (!region.matches("[a-z0-9-]+")) {
      throw new IllegalArgumentException(
          "region must look like us-east-1, but was \"" + region + "\"");
    }
    sessionToken = sessionToken == null || sessionToken.isEmpty() ? null : sessionToken;
  }

  private static void requireText(String field, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(field + " must not be blank");
    }
  }

  @Override
  public String toString() {
    return "AwsCredentials[region="
        + region
        + ", accessKeyId=***, secretAccessKey=***, sessionToken="
        + (sessionToken == null ? "none" : "***")
        + "]";
  }
}
