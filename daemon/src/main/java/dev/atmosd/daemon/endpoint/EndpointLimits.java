package dev.atmosd.daemon.endpoint;

import java.time.Duration;

/**
 * How much the container endpoint tolerates from a client. SDKs send one small GET with a handful of headers, so
 * anything bigger or slower is a mistake or an attack (a slowloris trickling bytes to hold connections open).
 *
 * @param requestDeadline a whole request must arrive within this long of connecting or of the previous response
 * @param maxHeaderBytes request line and headers together stay under this
 * @param maxContentBytes a GET has no body; anything beyond this is refused
 * @param mintTimeout how long a fetch may wait for credentials before answering 503
 */
public record EndpointLimits(Duration requestDeadline, int maxHeaderBytes, int maxContentBytes, Duration mintTimeout) {
  public static final EndpointLimits DEFAULT = new EndpointLimits(Duration.ofSeconds(10), 8 * 1024, 1024,
      Duration.ofSeconds(30));
}
