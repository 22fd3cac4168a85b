package dev.atmosd.cli;

/**
 * {@code atmos auth credential-process [--identity X] [--config P]} without picocli: SDKs run this on every client
 * start, and building the full command model costs more than the call itself. Anything beyond these exact forms
 * (help, unknown flags, missing values) goes the ordinary way, so errors and help look the same everywhere.
 */
final class CredentialProcessFastPath {
  /** The parsed options, or null when the command line is not a plain credential-process call. */
  static final class Options {
    String identity;
    String config;
  }

  private CredentialProcessFastPath() {}

  static Options match(String[] args) {
    if (args.length < 2 || !args[0].equals("auth") || !args[1].equals("credential-process")) {
      return null;
    }
    Options options = new Options();
    for (int i = 2; i < args.length; i++) {
      String arg = args[i];
      if ((arg.equals("--identity") || arg.equals("-i")) && i + 1 < args.length && options.identity == null) {
        options.identity = args[++i];
      } else if (arg.startsWith("--identity=") && options.identity == null) {
        options.identity = arg.substring("--identity=".length());
      } else if (arg.equals("--config") && i + 1 < args.length && options.config == null) {
        options.config = args[++i];
      } else if (arg.startsWith("--config=") && options.config == null) {
        options.config = arg.substring("--config=".length());
      } else {
        return null;
      }
    }
    if (options.identity != null && options.identity.startsWith("-")
        || options.config != null && options.config.startsWith("-")) {
      return null; // picocli says what is wrong with a missing value
    }
    return options;
  }
}
