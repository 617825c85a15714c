package org.peekaboo.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.multipart.DefaultHttpDataFactory;
import io.netty.handler.codec.http.multipart.FileUpload;
import io.netty.handler.codec.http.multipart.HttpData;
import io.netty.handler.codec.http.multipart.HttpPostRequestDecoder;
import io.netty.handler.codec.http.multipart.InterfaceHttpData;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spools the file of {@code POST /v1/scan} to disk as it arrives, with Netty's multipart decoder
 * writing every part to a file of the upload spool, and passes the whole upload on as one
 * {@link ScanUpload}. Refuses what PeekabooAV refuses, in its words, and bodies over the size
 * limit. Other requests pass untouched.
 */
final class ScanUploadHandler extends ChannelInboundHandlerAdapter {
    static final String SCAN_PATH = "/v1/scan";
    static final String HEADER_DISPOSITION = "X-Content-Disposition";
    /** Room for the multipart framing around the file, which the limit is about. */
    private static final long FRAMING_ALLOWANCE = 64 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(ScanUploadHandler.class);

    private final HttpService service;
    private HttpRequest request;
    private DefaultHttpDataFactory factory;
    private HttpPostRequestDecoder decoder;
    private long received;
    private final DiscardedBody refused = new DiscardedBody();

    ScanUploadHandler(HttpService service) {
        this.service = service;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest candidate && isScan(candidate)) {
            try {
                // The decoder takes the body of a request that comes whole (FullHttpRequest) itself.
                begin(ctx, candidate);
                if (decoder != null && msg instanceof LastHttpContent) {
                    finish(ctx);
                } else if (refused.active() && msg instanceof HttpContent content) {
                    refused.drop(ctx, content);
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
            return;
        }
        if (msg instanceof HttpContent content && (decoder != null || refused.active())) {
            try {
                if (decoder != null) {
                    take(ctx, content);
                } else {
                    refused.drop(ctx, content);
                }
            } finally {
                content.release();
            }
            return;
        }
        ctx.fireChannelRead(msg);
    }

    private static boolean isScan(HttpRequest request) {
        return request.method().equals(HttpMethod.POST) && request.decoderResult().isSuccess()
                && new QueryStringDecoder(request.uri()).path().equals(SCAN_PATH);
    }

    private void begin(ChannelHandlerContext ctx, HttpRequest scan) {
        if (!HttpPostRequestDecoder.isMultipart(scan)) {
            refuse(ctx, HttpResponseStatus.BAD_REQUEST, "Invalid content type, use multipart/form-data");
            return;
        }
        long limit = service.settings().maxUploadSize();
        if (HttpUtil.getContentLength(scan, -1L) > limit + FRAMING_ALLOWANCE) {
            refuseTooLarge(ctx);
            return;
        }
        factory = new DefaultHttpDataFactory(true, StandardCharsets.UTF_8);
        factory.setBaseDir(service.spool().directory().toString());
        factory.setDeleteOnExit(false);
        factory.setMaxLimit(limit);
        try {
            decoder = new HttpPostRequestDecoder(factory, scan, StandardCharsets.UTF_8);
        } catch (HttpPostRequestDecoder.ErrorDataDecoderException e) {
            factory.cleanAllHttpData();
            factory = null;
            refuse(ctx, HttpResponseStatus.BAD_REQUEST, "Invalid MIME structure in request");
            return;
        }
        request = scan;
        received = 0;
    }

    private void take(ChannelHandlerContext ctx, HttpContent content) {
        received += content.content().readableBytes();
        if (received > service.settings().maxUploadSize() + FRAMING_ALLOWANCE) {
            abandon();
            refuseTooLarge(ctx);
            refused.drop(ctx, content);
            return;
        }
        try {
            decoder.offer(content);
        } catch (HttpPostRequestDecoder.ErrorDataDecoderException e) {
            abandon();
            // The factory's size limit surfaces as an IOException cause.
            if (e.getCause() instanceof IOException) {
                refuseTooLarge(ctx);
            } else {
                refuse(ctx, HttpResponseStatus.BAD_REQUEST, "Invalid MIME structure in request");
            }
            refused.drop(ctx, content);
            return;
        }
        if (content instanceof LastHttpContent) {
            finish(ctx);
        }
    }

    private void finish(ChannelHandlerContext ctx) {
        List<InterfaceHttpData> fields = decoder.getBodyHttpDatas();
        String refusal = null;
        if (fields.isEmpty()) {
            refusal = "Invalid MIME structure in request";
        } else if (fields.size() != 1) {
            refusal = "Invalid number of fields in form, we accept only one field \"file\"";
        } else if (!"file".equals(fields.get(0).getName()) || !(fields.get(0) instanceof HttpData)) {
            refusal = "Field \"file\" missing from request";
        }
        if (refusal != null) {
            abandon();
            // The body was read completely: the connection can serve the next request.
            JsonResponses.send(ctx, JsonResponses.error(HttpResponseStatus.BAD_REQUEST, refusal),
                    HttpUtil.isKeepAlive(request));
            request = null;
            return;
        }
        HttpData field = (HttpData) fields.get(0);
        Path spooled;
        try {
            spooled = service.spool().newFile("upload");
            if (field.length() > 0) {
                // The file stays where the decoder wrote it; the decoder must not delete it any more.
                factory.removeHttpDataFromClean(request, field);
                if (!field.renameTo(spooled.toFile())) {
                    throw new IOException("cannot move the upload to " + spooled);
                }
            }
        } catch (IOException e) {
            LOG.error("Cannot spool an upload: {}", e.toString());
            abandon();
            JsonResponses.send(ctx, JsonResponses.error(HttpResponseStatus.INTERNAL_SERVER_ERROR,
                    "Failed to add analysis to database"), false);
            request = null;
            return;
        }
        String name = null;
        String type = null;
        if (field instanceof FileUpload upload) {
            name = upload.getFilename() == null || upload.getFilename().isEmpty() ? null : upload.getFilename();
            type = upload.getContentType() == null || upload.getContentType().isBlank() ? null
                    : upload.getContentType().split(";", 2)[0].strip();
        }
        ScanUpload scan = new ScanUpload(spooled, name, type, request.headers().get(HEADER_DISPOSITION),
                HttpUtil.isKeepAlive(request));
        abandon();
        request = null;
        ctx.fireChannelRead(scan);
    }

    /**
     * Refuses the request; the connection closes once the rest of its body is dropped, since
     * where the next request would start is not to be trusted.
     */
    private void refuse(ChannelHandlerContext ctx, HttpResponseStatus status, String message) {
        refused.start();
        request = null;
        JsonResponses.sendBeforeClosing(ctx, JsonResponses.error(status, message));
    }

    private void refuseTooLarge(ChannelHandlerContext ctx) {
        refuse(ctx, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                "Upload larger than " + service.settings().maxUploadSize() + " bytes");
    }

    /** Lets go of the decoder and deletes what it spooled and nobody took over. */
    private void abandon() {
        if (decoder != null) {
            decoder.destroy();
            decoder = null;
        }
        if (factory != null) {
            factory.cleanAllHttpData();
            factory = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        abandon();
        super.channelInactive(ctx);
    }
}
