package dev.atmosd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atmosd.v1.EndpointGrant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChildEnvironmentTest {
  @Test
  void removesEveryShadowingVariableAndPointsTheChildAtTheEndpointOnly() {
    Map<String, String> current = Map.of(
        "PATH", "/usr/bin", "HOME", "/home/me",
        "AWS_ACCESS_KEY_ID", "AKIA", "AWS_SECRET_ACCESS_KEY", "x", "AWS_SESSION_TOKEN", "y",
        "AWS_PROFILE", "other", "AWS_ROLE_ARN", "arn", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2",
        "AWS_CONFIG_FILE", "/home/me/.aws/config", "ATMOS_IDENTITY", "old");
    EndpointGrant grant = EndpointGrant.newBuilder()
        .setIdentity("prod/Admin").setFullUri("http://127.0.0.1:4321/c").setAuthorizationToken("tok")
        .setRegion("us-east-2").putIdentityEnvironment("TF_VAR_env", "prod").build();

    Map<String, String> env = ChildEnvironment.build(current, grant);

    assertThat(env).doesNotContainKeys("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
        "AWS_PROFILE", "AWS_ROLE_ARN", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
    assertThat(env)
        .containsEntry("PATH", "/usr/bin").containsEntry("HOME", "/home/me")
        .containsEntry("AWS_CONFIG_FILE", "/dev/null").containsEntry("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .containsEntry("AWS_EC2_METADATA_DISABLED", "true")
        .containsEntry("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:4321/c")
        .containsEntry("AWS_CONTAINER_AUTHORIZATION_TOKEN", "tok")
        .containsEntry("AWS_REGION", "us-east-2").containsEntry("AWS_DEFAULT_REGION", "us-east-2")
        .containsEntry("TF_VAR_env", "prod").containsEntry("ATMOS_IDENTITY", "prod/Admin");
  }
}
