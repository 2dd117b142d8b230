package dev.ballast.simulator.internal.server;

import dev.ballast.simulator.internal.http.HttpRequest;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks that a request carries an AWS Signature Version 4 of the right shape: an {@code
 * Authorization} header {@code AWS4-HMAC-SHA256 Credential=KEY/DATE/REGION/SERVICE/aws4_request,
 * SignedHeaders=..., Signature=HEX64}, an {@code X-Amz-Date} that matches the credential's date,
 * and every signed header present. It cannot check the signature itself without the secret key.
 */
final class SigV4Shape {
  private static final Pattern AUTHORIZATION =
      Pattern.compile(
          "AWS4-HMAC-SHA256 Credential=([^/\\s]+)/(\\d{8})/([a-z0-9-]+)/([a-z0-9-]+)/aws4_request,"
              + " ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})");

  private SigV4Shape() {}

  /** What is wrong with the request's signature, or null when its shape is right. */
  static String problem(HttpRequest request) {
    String authorization = request.header("authorization");
    if (authorization == null) {
      return "Missing Authentication Token";
    }
    Matcher m = AUTHORIZATION.matcher(authorization);
    if (!m.matches()) {
      return "Authorization header is not a well-formed AWS4-HMAC-SHA256 signature.";
    }
    String date = request.header("x-amz-date");
    if (date == null || !date.startsWith(m.group(2))) {
      return "X-Amz-Date is missing or does not match the credential scope's date.";
    }
    if (!m.group(4).equals("bedrock")) {
      return "Credential should be scoped to correct service: 'bedrock'.";
    }
    List<String> signed = List.of(m.group(5).split(";"));
    if (!signed.contains("host") || !signed.contains("x-amz-date")) {
      return "SignedHeaders must include host and x-amz-date.";
    }
    for (String header : signed) {
      if (request.header(header) == null) {
        return "Signed header " + header + " is missing from the request.";
      }
    }
    return null;
  }
}
