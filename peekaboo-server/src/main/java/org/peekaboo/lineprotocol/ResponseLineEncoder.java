package org.peekaboo.lineprotocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/** Writes a {@link ResponseLine} as UTF-8 followed by a newline. */
@ChannelHandler.Sharable
final class ResponseLineEncoder extends MessageToByteEncoder<ResponseLine> {

    ResponseLineEncoder() {
        super(ResponseLine.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, ResponseLine line, ByteBuf out) {
        out.ensureWritable(ByteBufUtil.utf8MaxBytes(line.text()) + 1);
        ByteBufUtil.writeUtf8(out, line.text());
        out.writeByte('\n');
    }
}
