package org.peekaboo.lineprotocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.LineBasedFrameDecoder;
import java.util.List;

/**
 * Cuts the input into lines of at most {@code maxLineLength} bytes, failing as soon as a
 * line grows beyond that. When the client half-closes its output, bytes after the last
 * newline count as a final line: PeekabooAV read the request with one {@code recv} and
 * did not need the newline, so some clients never send it.
 */
final class RequestLineFramer extends LineBasedFrameDecoder {

    RequestLineFramer(int maxLineLength) {
        super(maxLineLength, true, true);
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        super.decodeLast(ctx, in, out);
        // An over-long remainder has already been discarded by the line decoder, so what is
        // left is within the limit.
        if (in.isReadable()) {
            out.add(in.readRetainedSlice(in.readableBytes()));
        }
    }
}
