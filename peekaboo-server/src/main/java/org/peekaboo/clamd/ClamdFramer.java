package org.peekaboo.clamd;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.peekaboo.listener.ReceivedDescriptor;

/**
 * Cuts a clamd connection's bytes into commands and INSTREAM data as clamd's get_cmd and
 * handle_stream do: {@code z} commands end with NUL, {@code n} commands with a newline (a CR
 * before it is dropped), and a command without prefix is accepted only first on a connection,
 * where everything up to the first newline, or the whole first packet, is the command. After
 * {@code zINSTREAM}/{@code nINSTREAM} come chunks, each a 4-byte big-endian length and that many
 * bytes, until a zero length. Each announced length is checked against what the stream may
 * still take before a byte of it is read, so a hostile length never makes anything buffer.
 * Chunk data is passed on as it arrives, never collected: rspamd and Exim send a whole message
 * in one chunk.
 *
 * <p>A descriptor passed over the Unix socket arrives as a {@link ReceivedDescriptor} before the
 * bytes of the read that brought it, and belongs to that read, as in clamd: a {@code FILDES}
 * command completed by those bytes takes it, together with the one byte after the command's
 * terminator that carried it (a {@code FILDES} without that byte yet waits for it). A descriptor
 * no {@code FILDES} took by the end of its read is closed, and the connection hears
 * {@link ClamdInput.DescriptorWithoutFildes}.
 */
final class ClamdFramer extends ByteToMessageDecoder {
    /** clamd reads commands into a buffer of PATH_MAX plus a little; longer ones are refused. */
    static final int MAX_COMMAND_LENGTH = 4096 + 64;

    private enum State { COMMAND, CHUNK_LENGTH, CHUNK_DATA, DISCARD }

    private final long streamMaxLength;
    private State state = State.COMMAND;
    private boolean first = true;
    private long streamLeft;
    private long chunkLeft;
    /** The descriptor that came with the read being decoded, until a FILDES takes it. */
    private ReceivedDescriptor received;

    ClamdFramer(long streamMaxLength) {
        this.streamMaxLength = streamMaxLength;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof ReceivedDescriptor descriptor) {
            dropReceived();
            received = descriptor;
            return;
        }
        super.channelRead(ctx, msg);
        if (received != null) {
            dropReceived();
            if (state != State.DISCARD) {
                state = State.DISCARD;
                ctx.fireChannelRead(new ClamdInput.DescriptorWithoutFildes());
            }
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        dropReceived();
        super.channelInactive(ctx);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        dropReceived();
    }

    private void dropReceived() {
        if (received != null) {
            received.release();
            received = null;
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            int before = in.readableBytes();
            State stateBefore = state;
            switch (state) {
                case COMMAND -> command(in, out);
                case CHUNK_LENGTH -> chunkLength(in, out);
                case CHUNK_DATA -> chunkData(in, out);
                case DISCARD -> in.skipBytes(in.readableBytes());
            }
            if (in.readableBytes() == before && state == stateBefore) {
                return;
            }
        }
    }

    private void command(ByteBuf in, List<Object> out) {
        byte prefix = in.getByte(in.readerIndex());
        Terminator terminator = switch (prefix) {
            case 'z' -> Terminator.NUL;
            case 'n' -> Terminator.NEWLINE;
            default -> Terminator.LEGACY;
        };
        int start = terminator == Terminator.LEGACY ? in.readerIndex() : in.readerIndex() + 1;
        byte end = terminator == Terminator.NUL ? 0 : (byte) '\n';
        int at = in.indexOf(start, in.writerIndex(), end);
        int length;
        int consumed;
        if (at >= 0) {
            length = at - start;
            consumed = at + 1 - in.readerIndex();
        } else if (terminator == Terminator.LEGACY && first) {
            // clamd takes the first packet of an old-style client as the command (MIMEDefang sends a
            // bare "PING" and waits).
            length = in.writerIndex() - start;
            consumed = in.readableBytes();
        } else {
            if (in.readableBytes() > MAX_COMMAND_LENGTH) {
                state = State.DISCARD;
                in.skipBytes(in.readableBytes());
                out.add(new ClamdInput.CommandTooLong());
            }
            return;
        }
        if (length > MAX_COMMAND_LENGTH) {
            state = State.DISCARD;
            in.skipBytes(in.readableBytes());
            out.add(new ClamdInput.CommandTooLong());
            return;
        }
        String text = in.toString(start, length, StandardCharsets.UTF_8);
        if (terminator != Terminator.NUL && text.endsWith("\r")) {
            text = text.substring(0, text.length() - 1);
        }
        ReceivedDescriptor descriptor = null;
        if (text.equals(ClamdInput.Command.FILDES)) {
            if (in.readableBytes() <= consumed) {
                // The byte that carries the descriptor is still to come, maybe in the next read.
                return;
            }
            consumed++;
            descriptor = received;
            received = null;
        }
        in.skipBytes(consumed);
        first = false;
        ClamdInput.Command command = new ClamdInput.Command(text, terminator, descriptor);
        out.add(command);
        if (command.opensStream()) {
            state = State.CHUNK_LENGTH;
            streamLeft = streamMaxLength;
        }
    }

    private void chunkLength(ByteBuf in, List<Object> out) {
        if (in.readableBytes() < Integer.BYTES) {
            return;
        }
        long length = in.readUnsignedInt();
        if (length == 0) {
            state = State.COMMAND;
            out.add(new ClamdInput.StreamEnd());
        } else if (length > streamLeft) {
            state = State.DISCARD;
            in.skipBytes(in.readableBytes());
            out.add(new ClamdInput.StreamTooLong());
        } else {
            streamLeft -= length;
            chunkLeft = length;
            state = State.CHUNK_DATA;
        }
    }

    private void chunkData(ByteBuf in, List<Object> out) {
        int take = (int) Math.min(chunkLeft, in.readableBytes());
        out.add(in.readRetainedSlice(take));
        chunkLeft -= take;
        if (chunkLeft == 0) {
            state = State.CHUNK_LENGTH;
        }
    }

    /** Whether the connection ended inside an INSTREAM (the client half-closed mid-stream). */
    boolean insideStream() {
        return state == State.CHUNK_LENGTH || state == State.CHUNK_DATA;
    }

    /** Nothing further is taken from the connection, e.g. after a reply that ends it. */
    void stopReading() {
        state = State.DISCARD;
    }
}
