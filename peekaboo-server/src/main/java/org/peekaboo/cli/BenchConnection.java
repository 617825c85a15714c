package org.peekaboo.cli;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One of the bench's parallel connections: takes the next request, connects (the protocol
 * closes the connection after each reply), writes the prebuilt request, reads the reply into
 * a buffer it keeps for the whole run and tallies it. The same loop serves clamd's INSTREAM,
 * whose servers close the connection after the reply too. A plain blocking socket on a
 * platform thread costs the least CPU per request: no selector, no copies into strings, no
 * parsing beyond the line starts.
 */
final class BenchConnection implements Runnable {
    // Far above any real reply (a few lines per file), low enough to stop a runaway peer.
    private static final int MAX_REPLY_BYTES = 16 * 1024 * 1024;

    private final SocketAddress address;
    private final StandardProtocolFamily family;
    private final ByteBuffer[] requests;
    private final AtomicInteger next;
    private final long[] latencies;
    private final ReplyTally tally;
    private byte[] reply = new byte[64 * 1024];
    private ByteBuffer replyBuffer = ByteBuffer.wrap(reply);
    // Read by the watchdog, which closes a connection on which the daemon stays silent.
    private volatile SocketChannel open;
    private volatile long lastProgressNanos;

    /** {@code tally} decides how replies are read: a line protocol or a clamd one. */
    BenchConnection(SocketAddress address, ByteBuffer[] requests, AtomicInteger next, long[] latencies,
                    ReplyTally tally) {
        this.address = address;
        this.family = switch (address) {
            case UnixDomainSocketAddress unix -> StandardProtocolFamily.UNIX;
            case InetSocketAddress inet when inet.getAddress() instanceof Inet6Address -> StandardProtocolFamily.INET6;
            default -> StandardProtocolFamily.INET;
        };
        this.requests = requests;
        this.next = next;
        this.latencies = latencies;
        this.tally = tally;
    }

    ReplyTally tally() {
        return tally;
    }

    @Override
    public void run() {
        for (int i = next.getAndIncrement(); i < requests.length; i = next.getAndIncrement()) {
            long sent = System.nanoTime();
            int length = exchange(requests[i]);
            latencies[i] = System.nanoTime() - sent;
            if (length < 0) {
                tally.failedRequest();
            } else {
                tally.countReply(reply, length);
            }
        }
    }

    /** The length of the reply in {@link #reply}, or -1 when the exchange failed. */
    private int exchange(ByteBuffer request) {
        try (SocketChannel channel = SocketChannel.open(family)) {
            lastProgressNanos = System.nanoTime();
            open = channel;
            channel.connect(address);
            while (request.hasRemaining()) {
                channel.write(request);
            }
            ByteBuffer buffer = replyBuffer;
            buffer.clear();
            while (true) {
                if (!buffer.hasRemaining()) {
                    buffer = grow();
                }
                if (channel.read(buffer) < 0) {
                    return buffer.position();
                }
                lastProgressNanos = System.nanoTime();
            }
        } catch (IOException e) {
            return -1;
        } finally {
            open = null;
        }
    }

    private ByteBuffer grow() throws IOException {
        if (reply.length >= MAX_REPLY_BYTES) {
            throw new IOException("reply longer than " + MAX_REPLY_BYTES + " bytes");
        }
        byte[] larger = new byte[reply.length * 2];
        System.arraycopy(reply, 0, larger, 0, reply.length);
        replyBuffer = ByteBuffer.wrap(larger).position(reply.length);
        reply = larger;
        return replyBuffer;
    }

    /** Closes the connection in use if the daemon has sent nothing for {@code timeoutNanos}. */
    void closeIfSilent(long now, long timeoutNanos) {
        SocketChannel channel = open;
        if (channel != null && now - lastProgressNanos > timeoutNanos) {
            try {
                channel.close();
            } catch (IOException e) {
                // the blocked read fails either way, and the request counts as failed
            }
        }
    }
}
