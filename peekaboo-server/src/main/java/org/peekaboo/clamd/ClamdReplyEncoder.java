package org.peekaboo.clamd;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/** Writes a reply line as clamd does: the session prefix, the line, and the request's terminator. */
final class ClamdReplyEncoder extends MessageToByteEncoder<ClamdReplyLine> {
    ClamdReplyEncoder() {
        super(ClamdReplyLine.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, ClamdReplyLine reply, ByteBuf out) {
        ByteBufUtil.writeUtf8(out, reply.prefix());
        ByteBufUtil.writeUtf8(out, reply.line());
        out.writeByte(reply.terminator().replyEnd());
    }
}
