package org.peekaboo.listener;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * What a front end says to a client it does not serve (too many connections, an address not on
 * the allow-list) before the connection is closed: in its own protocol, so that the client tells
 * its user to retry instead of reporting a broken server.
 */
@FunctionalInterface
public interface Refusal {
    /** The bytes to send; the connection is closed once they are written. */
    ByteBuf message(ByteBufAllocator allocator, String reason);
}
