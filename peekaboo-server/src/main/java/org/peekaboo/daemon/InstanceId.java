package org.peekaboo.daemon;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Names this process in the store. Generated, never configured: PeekabooAV's hand-assigned
 * ids corrupted each other's records when two instances were given the same one.
 */
final class InstanceId {
    private InstanceId() {
    }

    static String generate() {
        byte[] random = new byte[4];
        new SecureRandom().nextBytes(random);
        String id = host() + "-" + ProcessHandle.current().pid() + "-" + HexFormat.of().formatHex(random);
        return id.length() <= 64 ? id : id.substring(id.length() - 64);
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown-host";
        }
    }
}
