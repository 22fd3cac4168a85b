package dev.atmosd.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Runs terraform (or {@code $ATMOS_TERRAFORM_BINARY}, e.g. tofu) with an identity. Every argument but
 * {@code -i/--identity} passes through untouched, wherever it appears: terraform has no {@code -i} of its own, and
 * {@code auth exec -i} takes it too, so {@code atmos terraform plan -i X} means what a user expects.
 */
@Command(name = "terraform", description = "Run terraform (or $ATMOS_TERRAFORM_BINARY) with an identity's credentials.")
final class TerraformCommand extends CliCommand {
  @Option(names = "--identity", arity = "0..1", fallbackValue = IdentityPicker.SELECT, description = "Identity, also "
      + "-i (env ATMOS_IDENTITY; default: the default identity; no value: pick one on a terminal).")
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
    List<String> passed = new ArrayList<>(args);
    String chosen = takeShortIdentity(passed);
    return GrantedCommandRunner.run(this, "terraform", chosen, program, passed, hint);
  }

  /**
   * {@code -i X} (or {@code -i} alone: the picker) is taken by hand: as a picocli short option it would swallow
   * terraform's own {@code -input=false} as {@code -i nput=false}. {@code --identity} wins when both are given.
   */
  private String takeShortIdentity(List<String> passed) {
    int at = passed.indexOf("-i");
    if (at < 0) {
      return identity;
    }
    passed.remove(at);
    String value = at < passed.size() && !passed.get(at).startsWith("-") ? passed.remove(at) : IdentityPicker.SELECT;
    return identity != null ? identity : value;
  }
}
