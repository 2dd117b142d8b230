package dev.ballast.cli;

import dev.ballast.core.BallastException;
import dev.ballast.core.PrivateFiles;
import dev.ballast.core.config.ConfigLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;

/**
 * The development virtual key of the built-in configuration: created on first start in {@code
 * DATA/dev.key} with mode 0600 and printed exactly once; afterwards only its location is shown.
 */
final class DevKey {
  private static final String ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  private DevKey() {}

  /** Returns the key's hash, creating the key when it does not exist yet. */
  static String ensure(Path dataDir, PrintWriter out) {
    Path file = dataDir.resolve("dev.key");
    try {
      PrivateFiles.dataDirectory(dataDir);
      if (Files.exists(file)) {
        return ConfigLoader.hashKey(Files.readString(file, StandardCharsets.UTF_8).trim());
      }
      String key = generate();
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, key + "\n", StandardCharsets.UTF_8);
      out.println("Created a development API key (shown once; kept in " + file + ", mode 0600):");
      out.println("  " + key);
      out.flush();
      return ConfigLoader.hashKey(key);
    } catch (FileAlreadyExistsException raced) {
      return ensure(dataDir, out);
    } catch (IOException e) {
      throw new BallastException(
          "cannot create the development key in " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * The hash of the key if one exists, else of a fresh key that is never stored (so no request can
   * present it); creates nothing.
   */
  static String existingHash(Path dataDir) {
    Path file = dataDir.resolve("dev.key");
    try {
      return ConfigLoader.hashKey(
          Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8).trim() : generate());
    } catch (IOException e) {
      throw new BallastException(
          "cannot read the development key " + file + ": " + e.getMessage(), e);
    }
  }

  static String generate() {
    SecureRandom random = new SecureRandom();
    StringBuilder key = new StringBuilder("bk-");
    for (int i = 0; i < 40; i++) {
      key.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return key.toString();
  }
}
