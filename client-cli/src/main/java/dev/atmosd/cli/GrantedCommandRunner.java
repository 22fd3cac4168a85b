package dev.atmosd.cli;

import dev.atmosd.v1.AuthEvent;
import dev.atmosd.v1.ClientContext;
import dev.atmosd.v1.EndpointGrant;
import dev.atmosd.v1.IdentityRequest;
import dev.atmosd.v1.RevokeEndpointRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What {@code auth exec}, {@code auth shell} and {@code terraform} share: find the program first (no sign-in for a
 * typo), get an endpoint grant for the identity, run the program with it, revoke the grant when the program ends.
 */
final class GrantedCommandRunner {
  /** What a command adds around its child: more variables before it starts, a word once it has ended. */
  interface Around {
    Around NOTHING = new Around() {};

    /** @param env the child's environment so far ({@link ChildEnvironment}), to add to */
    default void starting(EndpointGrant grant, Map<String, String> env) {}

    default void ended(EndpointGrant grant, int exitCode) {}
  }

  private GrantedCommandRunner() {}

  static int run(CliCommand command, String commandName, String identityFlag, String program, List<String> args,
      String notFoundHint) {
    return run(command, commandName, identityFlag, program, args, notFoundHint, Around.NOTHING);
  }

  static int run(CliCommand command, String commandName, String identityFlag, String program, List<String> args,
      String notFoundHint, Around around) {
    Invocation invocation = command.invocation();
    Path executable = ChildProcessRunner.resolve(program, invocation.env())
        .orElseThrow(() -> new UserError(notFoundHint, ExitCodes.COMMAND_NOT_FOUND));
    ClientContext context = invocation.context(commandName, false);
    AuthEvent result = command.follow(invocation.daemon().identities().grantEndpoint(IdentityRequest.newBuilder()
        .setContext(context).setIdentity(invocation.identity(identityFlag))
        // The grant lives as long as this process, which outlives the child: the daemon drops it if we die unrevoked.
        .setEndpointGrantHolderPid(ProcessHandle.current().pid()).build()), context);
    EndpointGrant grant = CliCommand.expect(result, AuthEvent.EventCase.ENDPOINT_GRANT, "an endpoint grant")
        .getEndpointGrant();
    Map<String, String> env = ChildEnvironment.build(invocation.env(), grant);
    boolean stdinIsTerminal = Terminal.forDescriptor(0, invocation.env()).isTerminal();
    around.starting(grant, env);
    invocation.err().flush();
    invocation.out().flush();
    try {
      int exitCode = new ChildProcessRunner(stdinIsTerminal).run(executable, args, env, invocation.workingDirectory());
      around.ended(grant, exitCode);
      return exitCode;
    } finally {
      revoke(invocation, grant);
    }
  }

  /** Best effort: a grant the daemon cannot revoke now is dropped by the daemon once this process has exited. */
  private static void revoke(Invocation invocation, EndpointGrant grant) {
    if (grant.getGrantId().isEmpty()) {
      return;
    }
    try {
      invocation.daemon().identities().withDeadlineAfter(5, TimeUnit.SECONDS)
          .revokeEndpoint(RevokeEndpointRequest.newBuilder().setGrantId(grant.getGrantId()).build());
    } catch (RuntimeException ignored) {
      // the command's exit status matters more than the revocation's
    }
  }
}
