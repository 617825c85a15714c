package org.peekaboo.listener;

import io.netty.channel.ChannelException;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import java.util.List;
import org.newsclub.net.unix.AFUNIXServerSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.AFUNIXSocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Unix socket listener on Netty's NIO transport with junixsocket's channels, whose connections
 * are {@link DescriptorReceivingChannel}s.
 *
 * <p>The socket is bound and listening before Netty registers it: junixsocket's selector reports
 * a socket that is not yet listening as ready (poll says hang-up), Netty then tries to accept on
 * it, fails, and closes the channel before its bind runs, which made about one start in five fail.
 * Netty's own bind is left with nothing to do.
 */
final class DescriptorReceivingServerChannel extends NioServerSocketChannel {
    private static final Logger LOG = LoggerFactory.getLogger(DescriptorReceivingServerChannel.class);
    private static final int BACKLOG = 128;

    private final AFUNIXSocketAddress address;

    DescriptorReceivingServerChannel(AFUNIXSocketAddress address) {
        super(listening(address));
        this.address = address;
    }

    private static AFUNIXServerSocketChannel listening(AFUNIXSocketAddress address) {
        AFUNIXServerSocketChannel channel = null;
        try {
            channel = AFUNIXServerSocketChannel.open();
            channel.bind(address, BACKLOG);
            return channel;
        } catch (IOException e) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException closing) {
                    e.addSuppressed(closing);
                }
            }
            throw new ChannelException(e.getMessage(), e);
        }
    }

    @Override
    protected void doBind(SocketAddress localAddress) throws Exception {
        if (!address.equals(localAddress)) {
            throw new IOException("bound to " + address + " already, not " + localAddress);
        }
    }

    @Override
    protected int doReadMessages(List<Object> accepted) throws Exception {
        SocketChannel connection = javaChannel().accept();
        if (connection == null) {
            return 0;
        }
        try {
            accepted.add(new DescriptorReceivingChannel(this, (AFUNIXSocketChannel) connection));
            return 1;
        } catch (RuntimeException e) {
            LOG.warn("Could not set up an accepted connection: {}", e.toString());
            connection.close();
            return 0;
        }
    }
}
