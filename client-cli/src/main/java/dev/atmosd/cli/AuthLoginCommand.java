package dev.atmosd.cli;

import dev.atmosd.v1.ClientContext;
import dev.atmosd.v1.LoginRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "login", description = "Sign in to a provider's portal (joins a sign-in already in progress).")
final class AuthLoginCommand extends CliCommand {
  @Option(names = {"-p", "--provider"}, description = "Provider to sign in to.")
  String provider;

  @Option(names = {"-i", "--identity"}, arity = "0..1", fallbackValue = IdentityPicker.SELECT,
      description = "Sign in to the provider of this identity (env ATMOS_IDENTITY).")
  String identity;

  @Option(names = "--no-browser", description = "Only print the URL and code; never open a browser.")
  boolean noBrowser;

  @Option(names = "--force", description = "Sign in again even when the session is valid.")
  boolean force;

  @Override
  public Integer call() {
    String identity = identityFlag(this.identity);
    if (provider != null && identity != null) {
      throw new UserError("use either --provider or --identity, not both");
    }
    Invocation invocation = invocation();
    ClientContext context = invocation.context("auth login", noBrowser);
    LoginRequest.Builder request = LoginRequest.newBuilder().setContext(context).setForce(force);
    if (provider != null) {
      request.setProvider(provider);
    } else {
      request.setIdentity(invocation.identity(identity));
    }
    follow(invocation.daemon().sessions().login(request.build()), context);
    return ExitCodes.OK;
  }
}
