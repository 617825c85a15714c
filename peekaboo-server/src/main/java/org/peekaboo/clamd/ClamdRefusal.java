package org.peekaboo.clamd;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import org.peekaboo.listener.Refusal;

/**
 * A refused connection hears an ERROR line before the command is even read. It ends with NUL,
 * which z clients need; clients of the other forms read to the end of the connection.
 */
final class ClamdRefusal implements Refusal {
    @Override
    public ByteBuf message(ByteBufAllocator allocator, String reason) {
        String line = ClamdReplies.oneLine(reason) + " ERROR";
        ByteBuf bytes = allocator.buffer(line.length() + 1);
        ByteBufUtil.writeUtf8(bytes, line);
        bytes.writeByte(0);
        return bytes;
    }
}
