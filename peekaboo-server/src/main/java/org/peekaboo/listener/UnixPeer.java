package org.peekaboo.listener;

import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.unix.PeerCredentials;
import java.io.IOException;
import java.util.Optional;

/**
 * Who is on the other end of a Unix socket, as the kernel says ({@code SO_PEERCRED}): the client
 * cannot choose it. Both Unix transports the listeners use give it.
 */
record UnixPeer(long uid, long pid) {
    /**
     * @return empty when {@code channel} is no Unix socket connection
     * @throws IOException when it is one but the kernel gives no credentials
     */
    static Optional<UnixPeer> of(Channel channel) throws IOException {
        if (channel instanceof EpollDomainSocketChannel epoll) {
            PeerCredentials peer = epoll.peerCredentials();
            return Optional.of(new UnixPeer(peer.uid(), peer.pid()));
        }
        if (channel instanceof DescriptorReceivingChannel receiving) {
            return Optional.of(receiving.peer());
        }
        return Optional.empty();
    }
}
