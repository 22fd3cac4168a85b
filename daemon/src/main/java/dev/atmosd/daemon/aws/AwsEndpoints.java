package dev.atmosd.daemon.aws;

import java.net.URI;
import java.util.Map;

/**
 * Where the AWS calls of one provider go; a null member means the real AWS endpoint for the region.
 * Precedence per service: the provider's {@code spec.endpoint_url}, then {@code AWS_ENDPOINT_URL_<SERVICE>},
 * then {@code AWS_ENDPOINT_URL} — each looked up in the asking client's environment first, then the daemon's.
 */
public record AwsEndpoints(URI ssoOidc, URI sso, URI sts) {
  public static final AwsEndpoints AWS_DEFAULTS = new AwsEndpoints(null, null, null);

  public static AwsEndpoints resolve(String specEndpointUrl, Map<String, String> clientEnv, Map<String, String> daemonEnv) {
    return new AwsEndpoints(
        pick(specEndpointUrl, "AWS_ENDPOINT_URL_SSO_OIDC", clientEnv, daemonEnv),
        pick(specEndpointUrl, "AWS_ENDPOINT_URL_SSO", clientEnv, daemonEnv),
        pick(specEndpointUrl, "AWS_ENDPOINT_URL_STS", clientEnv, daemonEnv));
  }

  private static URI pick(String spec, String serviceVar, Map<String, String> clientEnv, Map<String, String> daemonEnv) {
    for (String candidate : new String[] {
        spec,
        clientEnv.get(serviceVar), clientEnv.get("AWS_ENDPOINT_URL"),
        daemonEnv.get(serviceVar), daemonEnv.get("AWS_ENDPOINT_URL")}) {
      if (candidate != null && !candidate.isBlank()) {
        return URI.create(candidate.strip());
      }
    }
    return null;
  }
}
