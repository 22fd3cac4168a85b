package dev.atmosd.daemon.endpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atmosd.daemon.config.ConfigException;
import dev.atmosd.daemon.credentials.MintedCredentials;
import dev.atmosd.daemon.rpc.StatusErrors;
import dev.atmosd.daemon.rpc.UserFacingException;
import io.grpc.Status;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.security.MessageDigest;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers {@code GET /v1/credentials/<grantId>} in the AWS container-credentials format, after checking the Host
 * header (a DNS-rebinding page can reach loopback but cannot forge a loopback Host), the method, and the grant's
 * token in constant time. Logs carry the grant id, identity and status, never a token or a key.
 */
@ChannelHandler.Sharable
final class CredentialRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  static final String PATH_PREFIX = "/v1/credentials/";
  private static final Logger log = LoggerFactory.getLogger(CredentialRequestHandler.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Compared against when the grant is unknown, so a miss costs what a wrong token costs. */
  private static final byte[] NO_TOKEN = new byte[32];

  private final Function<String, CredentialGrant> grants;
  private final GrantedCredentials credentials;
  private final EndpointLimits limits;
  private volatile Set<String> allowedHosts = Set.of();

  CredentialRequestHandler(Function<String, CredentialGrant> grants, GrantedCredentials credentials,
      EndpointLimits limits) {
    this.grants = grants;
    this.credentials = credentials;
    this.limits = limits;
  }

  void listeningOn(int port) {
    allowedHosts = Set.of("127.0.0.1:" + port, "localhost:" + port);
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    if (request.decoderResult().isFailure()) {
      boolean tooLong = request.decoderResult().cause() instanceof TooLongFrameException;
      respond(ctx, request, tooLong ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE : HttpResponseStatus.BAD_REQUEST,
          error(tooLong ? "RequestTooLarge" : "BadRequest", "malformed or oversized request"), true);
      return;
    }
    List<String> hosts = request.headers().getAll(HttpHeaderNames.HOST);
    if (hosts.size() != 1 || !allowedHosts.contains(hosts.get(0).toLowerCase(Locale.ROOT))) {
      respond(ctx, request, HttpResponseStatus.FORBIDDEN,
          error("AccessDenied", "the Host header must be 127.0.0.1 or localhost with this endpoint's port"), true);
      return;
    }
    if (!HttpMethod.GET.equals(request.method())) {
      FullHttpResponse response = response(HttpResponseStatus.METHOD_NOT_ALLOWED, error("MethodNotAllowed", "only GET"));
      response.headers().set(HttpHeaderNames.ALLOW, "GET");
      send(ctx, request, response, true);
      return;
    }
    String path = new QueryStringDecoder(request.uri()).path();
    if (!path.startsWith(PATH_PREFIX) || path.length() == PATH_PREFIX.length()
        || path.indexOf('/', PATH_PREFIX.length()) >= 0) {
      respond(ctx, request, HttpResponseStatus.NOT_FOUND,
          error("NotFound", "credentials are served at " + PATH_PREFIX + "<grant>"), false);
      return;
    }
    List<String> authorizations = request.headers().getAll(HttpHeaderNames.AUTHORIZATION);
    if (authorizations.size() != 1 || authorizations.get(0).isEmpty()) {
      respond(ctx, request, HttpResponseStatus.UNAUTHORIZED,
          error("AccessDenied", "send the grant's token as the Authorization header (AWS_CONTAINER_AUTHORIZATION_TOKEN)"),
          false);
      return;
    }
    String grantId = path.substring(PATH_PREFIX.length());
    CredentialGrant grant = grants.apply(grantId);
    byte[] offered = CredentialGrant.sha256(authorizations.get(0));
    boolean match = grant == null ? MessageDigest.isEqual(NO_TOKEN, offered) : grant.acceptsToken(offered);
    if (grant == null || !match) {
      // The id comes from the request (percent-decoded): log it only when it has a grant id's shape.
      log.info("container endpoint refused a request for grant {} (unknown grant or wrong token)",
          grantId.matches("[A-Za-z0-9_-]{1,64}") ? grantId : "<malformed>");
      respond(ctx, request, HttpResponseStatus.FORBIDDEN,
          error("AccessDenied", "the token does not grant these credentials, or the grant was revoked"), false);
      return;
    }
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    credentials.credentials(grant)
        .orTimeout(limits.mintTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete((minted, failure) -> ctx.executor().execute(() -> {
          if (failure == null) {
            log.debug("container endpoint served identity '{}' for grant {}", grant.identity(), grantId);
            sendCredentials(ctx, keepAlive, minted);
          } else {
            sendFailure(ctx, keepAlive, grant, failure);
          }
        }));
  }

  private void sendCredentials(ChannelHandlerContext ctx, boolean keepAlive, MintedCredentials minted) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("AccessKeyId", minted.accessKeyId());
    body.put("SecretAccessKey", minted.secretAccessKey());
    body.put("Token", minted.sessionToken());
    body.put("Expiration", DateTimeFormatter.ISO_INSTANT.format(minted.expiration().truncatedTo(ChronoUnit.SECONDS)));
    if (minted.accountId() != null) {
      body.put("AccountId", minted.accountId());
    }
    write(ctx, keepAlive, response(HttpResponseStatus.OK, body));
  }

  private void sendFailure(ChannelHandlerContext ctx, boolean keepAlive, CredentialGrant grant, Throwable failure) {
    Throwable cause = StatusErrors.unwrap(failure);
    HttpResponseStatus status;
    String message;
    if (cause instanceof TimeoutException) {
      status = HttpResponseStatus.SERVICE_UNAVAILABLE;
      message = "credentials for identity '" + grant.identity() + "' are not ready; if the session needs a sign-in, "
          + "run `atmos auth login`";
    } else {
      Status grpc = StatusErrors.toStatus(cause).getStatus();
      boolean transientFailure = grpc.getCode() == Status.Code.UNAVAILABLE
          || grpc.getCode() == Status.Code.RESOURCE_EXHAUSTED
          || grpc.getCode() == Status.Code.UNAUTHENTICATED;
      status = transientFailure ? HttpResponseStatus.SERVICE_UNAVAILABLE : HttpResponseStatus.BAD_GATEWAY;
      message = grpc.getDescription() == null ? grpc.getCode().name() : grpc.getDescription();
    }
    log.warn("container endpoint could not serve identity '{}' for grant {}: {}", grant.identity(), grant.grantId(),
        cause instanceof UserFacingException || cause instanceof ConfigException ? message
            : cause.getClass().getSimpleName());
    write(ctx, keepAlive, response(status, error(status == HttpResponseStatus.SERVICE_UNAVAILABLE
        ? "ServiceUnavailable" : "CredentialsUnavailable", message)));
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("container endpoint connection failed: {}", cause.getClass().getSimpleName());
    ctx.close();
  }

  private static Map<String, Object> error(String code, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("code", code);
    body.put("message", message);
    return body;
  }

  private void respond(ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status,
      Map<String, Object> body, boolean close) {
    send(ctx, request, response(status, body), close);
  }

  private void send(ChannelHandlerContext ctx, FullHttpRequest request, FullHttpResponse response, boolean close) {
    write(ctx, !close && !request.decoderResult().isFailure() && HttpUtil.isKeepAlive(request), response);
  }

  private static void write(ChannelHandlerContext ctx, boolean keepAlive, FullHttpResponse response) {
    HttpUtil.setKeepAlive(response, keepAlive);
    if (keepAlive) {
      ctx.channel().writeAndFlush(response);
    } else {
      ctx.channel().writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
  }

  private static FullHttpResponse response(HttpResponseStatus status, Map<String, Object> body) {
    byte[] bytes;
    try {
      bytes = JSON.writeValueAsBytes(body);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a map of strings always serialises", e);
    }
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(bytes));
    response.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
        .set(HttpHeaderNames.CONTENT_LENGTH, bytes.length)
        .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
    return response;
  }
}
