package org.peekaboo.lineprotocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.util.List;
import org.peekaboo.listener.Refusal;
import org.peekaboo.verdict.Verdict;

/**
 * A refused connection hears what a refused request hears: the greeting, the reason as an error
 * line and {@code unchecked}, so amavis tempfails the mail and retries instead of logging a broken
 * scanner.
 */
final class ProtocolRefusal implements Refusal {
    @Override
    public ByteBuf message(ByteBufAllocator allocator, String reason) {
        List<ResponseLine> lines = List.of(ProtocolLines.greeting(), ResponseLine.EMPTY, ProtocolLines.error(reason),
                ProtocolLines.categorized(Verdict.UNCHECKED), ResponseLine.EMPTY);
        ByteBuf bytes = allocator.buffer(lines.stream().mapToInt(ResponseLine::wireLength).sum());
        for (ResponseLine line : lines) {
            ByteBufUtil.writeUtf8(bytes, line.text());
            bytes.writeByte('\n');
        }
        return bytes;
    }
}
