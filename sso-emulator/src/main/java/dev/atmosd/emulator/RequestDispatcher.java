package dev.atmosd.emulator;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Every request passes through here: name the operation, count it, consult the fault plan, run the handler,
 * then write the response (later, on the channel's event loop, when latency is injected, so no thread ever
 * sleeps).
 */
@ChannelHandler.Sharable
final class RequestDispatcher extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = Logger.getLogger(RequestDispatcher.class.getName());

    private final IdentityCenter center;
    private final OidcHandler oidc;
    private final PortalHandler portal;
    private final StsHandler sts;
    private final BrowserHandler browser;
    private final ControlHandler control;

    RequestDispatcher(IdentityCenter center, ControlHandler control) {
        this.center = center;
        AuthorizationCodes codes = new AuthorizationCodes(center.clock, center.lifetimes.deviceCode());
        this.oidc = new OidcHandler(center, codes);
        this.portal = new PortalHandler(center);
        this.sts = new StsHandler(center);
        this.browser = new BrowserHandler(center, codes);
        this.control = control;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest msg) {
        boolean keepAlive = HttpUtil.isKeepAlive(msg);
        String requestId = UUID.randomUUID().toString();
        if (msg.decoderResult().isFailure()) {
            write(ctx, ErrorRenderer.render(new AwsError(400, "BadRequest", "Malformed HTTP request"),
                    Protocol.CONTROL, requestId), requestId, false);
            return;
        }
        EmulatorRequest request = new EmulatorRequest(msg, ctx.channel().remoteAddress());
        Operation operation;
        try {
            operation = OperationResolver.resolve(request);
        } catch (AwsError e) {
            write(ctx, ErrorRenderer.render(e, Protocol.STS, requestId), requestId, keepAlive);
            return;
        }
        if (operation == null) {
            AwsError error = AwsError.unknownOperation(request.method, request.path);
            write(ctx, ErrorRenderer.render(error, Protocol.PORTAL, requestId), requestId, keepAlive);
            return;
        }
        if (!operation.isAwsOperation()) {
            write(ctx, run(operation, request, requestId), requestId, keepAlive);
            return;
        }
        center.counters.increment(operation.name());
        FaultVerdict verdict = center.faults.decide(operation.name());
        EmulatorResponse response = switch (verdict.kind()) {
            case RESET -> null;
            case FAIL -> ErrorRenderer.render(new AwsError(verdict.status(), verdict.errorType(),
                    "Injected fault (" + verdict.errorType() + ")"), operation.protocol(), requestId);
            case THROTTLE -> ErrorRenderer.render(operation.protocol() == Protocol.STS
                    ? new AwsError(400, "Throttling", "Rate exceeded")
                    : AwsError.tooManyRequests(), operation.protocol(), requestId);
            case PROCEED -> run(operation, request, requestId);
        };
        if (response == null) {
            ctx.close();
            return;
        }
        Duration delay = verdict.delay();
        if (delay.isZero()) {
            write(ctx, response, requestId, keepAlive);
        } else {
            ctx.executor().schedule(() -> write(ctx, response, requestId, keepAlive),
                    delay.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private EmulatorResponse run(Operation operation, EmulatorRequest request, String requestId) {
        try {
            return switch (operation.protocol()) {
                case OIDC -> oidc.handle(operation.name(), request);
                case PORTAL -> portal.handle(operation.name(), request);
                case STS -> sts.handle(operation.name(), request, requestId);
                case PAGE -> browser.handle(operation.name(), request);
                case CONTROL -> control.handle(operation.name(), request);
            };
        } catch (AwsError e) {
            return ErrorRenderer.render(e, operation.protocol(), requestId);
        } catch (IllegalArgumentException | IllegalStateException e) {
            if (operation.protocol() == Protocol.CONTROL) {
                int status = e instanceof IllegalStateException ? 409 : 400;
                return ErrorRenderer.render(new AwsError(status, "BadRequest", e.getMessage()), Protocol.CONTROL,
                        requestId);
            }
            return internalError(operation, requestId, e);
        } catch (RuntimeException e) {
            return internalError(operation, requestId, e);
        }
    }

    private static EmulatorResponse internalError(Operation operation, String requestId, RuntimeException e) {
        // Only the operation and exception class: messages could quote request data such as tokens.
        LOG.log(Level.WARNING, "emulator bug in " + operation.name() + ": " + e.getClass().getName());
        String type = operation.protocol() == Protocol.STS ? "InternalFailure" : "InternalServerException";
        return ErrorRenderer.render(new AwsError(500, type, "Internal error"), operation.protocol(), requestId);
    }

    private static void write(ChannelHandlerContext ctx, EmulatorResponse response, String requestId,
                              boolean keepAlive) {
        FullHttpResponse http = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(response.status()), Unpooled.wrappedBuffer(response.body()));
        if (response.contentType() != null) {
            http.headers().set(HttpHeaderNames.CONTENT_TYPE, response.contentType());
        }
        http.headers().set(HttpHeaderNames.CONTENT_LENGTH, response.body().length);
        http.headers().set("x-amzn-RequestId", requestId);
        response.headers().forEach((name, value) -> http.headers().set(name, value));
        if (keepAlive) {
            http.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(http);
        } else {
            http.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(http).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Clients hanging up mid-request is routine (and resetConnectionNext provokes it); just drop the channel.
        ctx.close();
    }
}
