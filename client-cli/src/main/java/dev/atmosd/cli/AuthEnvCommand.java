package dev.atmosd.cli;

import dev.atmosd.v1.AuthEvent;
import dev.atmosd.v1.ClientContext;
import dev.atmosd.v1.EndpointGrant;
import dev.atmosd.v1.IdentityRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "env", description = "Print variables that hand an identity to tools (the daemon's endpoint; "
    + "--static: keys).",
    footer = "By default the variables point at the daemon's container-credentials endpoint, so SDKs refresh on their "
        + "own; --static prints temporary keys that stop working when they expire.")
final class AuthEnvCommand extends CliCommand {
  @Option(names = {"-i", "--identity"}, arity = "0..1", fallbackValue = IdentityPicker.SELECT,
      description = "Identity (env ATMOS_IDENTITY; default: the default identity;"
          + " no value: pick one on a terminal).")
  String identity;

  @Option(names = {"-f", "--format"}, description = "bash (default), dotenv, env, json, fish, powershell or github "
      + "(env ATMOS_AUTH_ENV_FORMAT).")
  String format;

  /** Go's {@code --login} (sign in when credentials are missing): atmosd always does, so it is accepted as is. */
  @Option(names = "--login", description = "Sign in when needed (atmosd always does; accepted for the Go atmos).")
  boolean login;

  @Option(names = "--static", description = "Temporary keys (AWS_ACCESS_KEY_ID, ...) instead of the endpoint.")
  boolean staticKeys;

  @Option(names = "--grant-lifetime", paramLabel = "DURATION", description = "How long the endpoint grant works, e.g. "
      + "8h or 90m (env ATMOS_AUTH_ENV_GRANT_LIFETIME; default: the session's, the provider's session.duration or 8h).")
  String grantLifetime;

  @Option(names = {"-o", "--output-file"}, description = "Write to this file (0600) instead of stdout; github "
      + "appends to $GITHUB_ENV by default (env ATMOS_AUTH_ENV_OUTPUT_FILE).")
  String outputFile;

  @Override
  public Integer call() {
    Invocation invocation = invocation();
    EnvFormatter.Format chosen = EnvFormatter.parseFormat(firstSet(format,
        invocation.env().get("ATMOS_AUTH_ENV_FORMAT"), "bash"));
    String file = firstSet(outputFile, invocation.env().get("ATMOS_AUTH_ENV_OUTPUT_FILE"),
        chosen == EnvFormatter.Format.GITHUB ? invocation.env().get("GITHUB_ENV") : null);
    if (chosen == EnvFormatter.Format.GITHUB && file == null) {
      throw new UserError("--format github needs $GITHUB_ENV or --output-file");
    }

    ClientContext context = invocation.unattendedContext("auth env");
    IdentityRequest request = IdentityRequest.newBuilder()
        .setContext(context).setIdentity(invocation.identity(identityFlag(identity))).build();
    Map<String, String> vars;
    boolean passthrough = false;
    if (staticKeys) {
      AuthEvent result = follow(invocation.daemon().identities().getCredentials(request), context);
      vars = CredentialEnvironment.forCredentials(
          expect(result, AuthEvent.EventCase.CREDENTIALS, "credentials").getCredentials());
    } else {
      // Blank means "the daemon's default", so an unset flag and variable must not become null (protobuf refuses it).
      String lifetime = Objects.requireNonNullElse(
          firstSet(grantLifetime, invocation.env().get("ATMOS_AUTH_ENV_GRANT_LIFETIME")), "");
      AuthEvent result = follow(invocation.daemon().identities().grantEndpoint(
          request.toBuilder().setEndpointGrantLifetime(lifetime).build()), context);
      EndpointGrant grant = expect(result, AuthEvent.EventCase.ENDPOINT_GRANT, "an endpoint grant").getEndpointGrant();
      vars = CredentialEnvironment.forGrant(grant);
      passthrough = grant.getPassthrough();
    }
    // An ambient identity's credentials are the shell's own: nothing to unset.
    List<String> unset = passthrough ? List.of() : CredentialEnvironment.toUnset(vars);
    String text = new EnvFormatter().render(chosen, vars, unset);
    if (file == null) {
      invocation.out().print(text);
    } else {
      write(Path.of(file), text, chosen == EnvFormatter.Format.GITHUB);
      invocation.err().println("wrote " + vars.size() + " variables to " + file);
    }
    return ExitCodes.OK;
  }

  /** Owner-only (0600): the file holds a bearer token or keys. $GITHUB_ENV is appended to, as the runner expects. */
  static void write(Path file, String text, boolean append) {
    try {
      if (!Files.exists(file)) {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } else if (!append) {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      }
      Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.WRITE,
          append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
    } catch (IOException failed) {
      throw new UserError("cannot write " + file + ": " + failed.getMessage(), ExitCodes.FAILED);
    }
  }

  private static String firstSet(String... values) {
    for (String value : values) {
      if (value != null && !value.isBlank()) {
        return value;
      }
    }
    return null;
  }
}
