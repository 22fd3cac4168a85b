package dev.atmosd.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Runs terraform (or {@code $ATMOS_TERRAFORM_BINARY}, e.g. tofu) with an identity. Every argument but
 * {@code --identity} passes through untouched, wherever it appears.
 */
@Command(name = "terraform", description = "Run terraform (or $ATMOS_TERRAFORM_BINARY) with an identity's credentials.")
final class TerraformCommand extends CliCommand {
  @Option(names = "--identity", description = "Identity (env ATMOS_IDENTITY; default: the default identity).")
  String identity;

  @Parameters(paramLabel = "ARGS", description = "Arguments for terraform.")
  List<String> args = new ArrayList<>();

  @Override
  public Integer call() {
    String binary = invocation().env().getOrDefault("ATMOS_TERRAFORM_BINARY", "");
    boolean explicit = !binary.isBlank();
    String program = explicit ? binary : "terraform";
    String hint = explicit ? "ATMOS_TERRAFORM_BINARY=" + binary + ": not found or not executable"
        : "terraform not found on PATH; set ATMOS_TERRAFORM_BINARY";
    return GrantedCommandRunner.run(this, "terraform", identity, program, args, hint);
  }
}
