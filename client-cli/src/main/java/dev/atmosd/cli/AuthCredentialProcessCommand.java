package dev.atmosd.cli;

import dev.atmosd.v1.AuthEvent;
import dev.atmosd.v1.ClientContext;
import dev.atmosd.v1.IdentityRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The AWS SDKs' {@code credential_process}: stdout carries only the JSON document; prompts go to stderr. This is the
 * hot path (every SDK client start-up may run it), so it does nothing but one call.
 */
@Command(name = "credential-process", description = "Print credentials for an AWS SDK's credential_process.")
final class AuthCredentialProcessCommand extends CliCommand {
  @Option(names = {"-i", "--identity"}, arity = "0..1", fallbackValue = IdentityPicker.SELECT,
      description = "Identity (env ATMOS_IDENTITY; default: the default identity;"
          + " no value: pick one on a terminal).")
  String identity;

  @Override
  public Integer call() {
    return run(invocation(), identityFlag(identity));
  }

  /** Shared with {@link CredentialProcessFastPath}, which reaches it without building the picocli model. */
  static int run(Invocation invocation, String identityFlag) {
    ClientContext context = invocation.unattendedContext("auth credential-process");
    AuthEvent result = new SignInPrompter(invocation.err(), invocation.stderrTerminal(), invocation.browser(),
        context.getMayOpenBrowser(), invocation.clock()).follow(invocation.daemon().identities().getCredentials(
            IdentityRequest.newBuilder().setContext(context).setIdentity(invocation.identity(identityFlag)).build()));
    invocation.out().println(CredentialProcessJson.render(
        expect(result, AuthEvent.EventCase.CREDENTIALS, "credentials").getCredentials()));
    return ExitCodes.OK;
  }
}
