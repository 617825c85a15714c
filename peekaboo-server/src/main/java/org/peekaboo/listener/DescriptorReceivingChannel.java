package org.peekaboo.listener;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import org.newsclub.net.unix.AFUNIXSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketCredentials;

/**
 * A Unix socket connection whose every read is a {@code recvmsg} with room for {@code SCM_RIGHTS}
 * (junixsocket), so that a descriptor the client passes is never dropped by the kernel. A
 * descriptor is fired as a {@link ReceivedDescriptor} just before the bytes of the read that
 * brought it: the kernel ends a read at the message that carries descriptors, so they belong to
 * the last bytes of that read, and a decoder sees them in order with the bytes.
 */
final class DescriptorReceivingChannel extends NioSocketChannel {
    /** Descriptors one read may bring; the kernel closes any beyond (clamd takes one per read). */
    static final int MAX_DESCRIPTORS_PER_READ = 8;
    /** The control buffer: a cmsghdr (16 bytes on 64-bit Linux) and the descriptors, rounded up. */
    static final int ANCILLARY_BUFFER_BYTES = 16 + MAX_DESCRIPTORS_PER_READ * Integer.BYTES;

    private final AFUNIXSocketChannel socket;
    /*
     * junixsocket's channel does not tell its socket() when a direction is shut down, and Netty's
     * NIO channel asks the socket: without these, a client's half-close would be reported to the
     * pipeline again on every read instead of once.
     */
    private volatile boolean inputShutdown;
    private volatile boolean outputShutdown;

    DescriptorReceivingChannel(Channel parent, AFUNIXSocketChannel socket) {
        super(parent, socket);
        this.socket = socket;
        socket.setAncillaryReceiveBufferSize(ANCILLARY_BUFFER_BYTES);
    }

    @Override
    protected int doReadBytes(ByteBuf buffer) throws Exception {
        int read = super.doReadBytes(buffer);
        FileDescriptor[] received = socket.getReceivedFileDescriptors();
        if (received != null) {
            for (int i = 0; i < received.length; i++) {
                ReceivedDescriptor descriptor;
                try {
                    descriptor = ReceivedDescriptor.of(received[i]);
                } catch (IOException | RuntimeException e) {
                    closeAll(received, i + 1);
                    throw e;
                }
                pipeline().fireChannelRead(descriptor);
            }
        }
        return read;
    }

    @Override
    public ChannelFuture shutdownInput(ChannelPromise promise) {
        return remember(super.shutdownInput(promise), true, false);
    }

    @Override
    public ChannelFuture shutdownOutput(ChannelPromise promise) {
        return remember(super.shutdownOutput(promise), false, true);
    }

    @Override
    public ChannelFuture shutdown(ChannelPromise promise) {
        return remember(super.shutdown(promise), true, true);
    }

    private ChannelFuture remember(ChannelFuture shutdown, boolean input, boolean output) {
        if (!shutdown.isVoid()) {
            shutdown.addListener(done -> {
                if (done.isSuccess()) {
                    inputShutdown |= input;
                    outputShutdown |= output;
                }
            });
        }
        return shutdown;
    }

    @Override
    public boolean isInputShutdown() {
        return inputShutdown || super.isInputShutdown();
    }

    @Override
    public boolean isOutputShutdown() {
        return outputShutdown || super.isOutputShutdown();
    }

    @Override
    public boolean isShutdown() {
        return inputShutdown && outputShutdown || super.isShutdown();
    }

    private static void closeAll(FileDescriptor[] received, int from) {
        for (int i = from; i < received.length; i++) {
            try {
                new FileInputStream(received[i]).close();
            } catch (IOException e) {
                // Linux releases the descriptor even when close fails.
            }
        }
    }

    UnixPeer peer() throws IOException {
        AFUNIXSocketCredentials credentials = socket.getPeerCredentials();
        if (credentials == null) {
            throw new IOException("no peer credentials");
        }
        return new UnixPeer(credentials.getUid(), credentials.getPid());
    }
}
