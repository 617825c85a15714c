package org.peekaboo.lineprotocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.netty.handler.codec.TooLongFrameException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes one request line into a {@link ClientRequest}. Nothing the client sends makes it
 * throw: every defect, an over-long line included, becomes a {@link MalformedRequest} the
 * conversation handler can answer.
 */
final class ScanRequestDecoder extends MessageToMessageDecoder<ByteBuf> {
    private static final Logger LOG = LoggerFactory.getLogger(ScanRequestDecoder.class);

    private final int maxLineLength;
    private final ScanRequestParser parser;

    ScanRequestDecoder(int maxLineLength, int maxParts) {
        super(ByteBuf.class);
        this.maxLineLength = maxLineLength;
        this.parser = new ScanRequestParser(maxParts);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf line, List<Object> out) {
        out.add(decode(line));
    }

    ClientRequest decode(ByteBuf line) {
        ByteBuffer bytes = line.nioBuffer();
        CharBuffer text = CharBuffer.allocate(bytes.remaining());
        // Strict decoding: a replacement character could silently change a path.
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        CoderResult result = utf8.decode(bytes, text, true);
        if (!result.isError()) {
            result = utf8.flush(text);
        }
        if (result.isError()) {
            return new MalformedRequest("Request is not valid UTF-8: invalid byte sequence at offset "
                    + bytes.position());
        }
        try {
            return parser.parse(text.flip().toString());
        } catch (RuntimeException e) {
            LOG.warn("Request could not be parsed", e);
            return new MalformedRequest("The request could not be parsed");
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException) {
            ctx.fireChannelRead(new MalformedRequest("Request line longer than the limit of " + maxLineLength
                    + " bytes (max_line_length)"));
        } else {
            ctx.fireExceptionCaught(cause);
        }
    }
}
