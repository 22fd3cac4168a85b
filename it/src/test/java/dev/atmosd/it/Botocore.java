package dev.atmosd.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Real botocore, as the AWS CLI and terraform-adjacent python tools use it, against the emulator's STS. */
public final class Botocore {
  private Botocore() {}

  /**
   * Prints one JSON line: the caller identity STS returned, which credential provider botocore picked
   * ({@code custom-process}, {@code container-role}, ...), and the AWS_PROFILE/AWS_ACCESS_KEY_ID the process saw.
   */
  public static final String WHOAMI = """
      import json, os, sys
      import botocore.session
      session = botocore.session.Session(profile=os.environ.get('IT_PROFILE') or None)
      client = session.create_client('sts', endpoint_url=os.environ['IT_STS_ENDPOINT'], region_name='us-east-1')
      identity = client.get_caller_identity()
      print(json.dumps({
          'Arn': identity['Arn'], 'Account': identity['Account'],
          'Method': session.get_credentials().method,
          'AWS_PROFILE': os.environ.get('AWS_PROFILE'),
          'AWS_ACCESS_KEY_ID': os.environ.get('AWS_ACCESS_KEY_ID'),
      }))
      """;

  /** Runs {@link #WHOAMI} with the sandbox environment plus {@code extraEnv}; fails unless it exits 0. */
  public static JsonNode whoami(AtmosSandbox sandbox, Map<String, String> extraEnv) {
    Map<String, String> env = new HashMap<>(extraEnv);
    env.put("IT_STS_ENDPOINT", sandbox.endpoint());
    CliResult result = sandbox.ok(sandbox.runPython(WHOAMI, env, Duration.ofSeconds(60)));
    return CliResult.parse(result.stdoutLines().get(result.stdoutLines().size() - 1));
  }
}
