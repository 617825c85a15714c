package org.peekaboo.cli;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import org.peekaboo.config.EmbeddedEnvironment;
import org.peekaboo.config.HostPort;
import org.peekaboo.config.PeekabooConfig;
import org.peekaboo.config.PeekabooConfigLoader;
import org.peekaboo.lineprotocol.LineProtocolClient;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** How client commands find the daemon; shared by scan, ping, status and bench. */
final class ClientOptions {

    @ArgGroup(exclusive = true)
    private Target target = new Target();

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "300",
            description = "Give up waiting for the daemon after this many seconds (default ${DEFAULT-VALUE}).")
    private long timeoutSeconds;

    static final class Target {
        @Option(names = "--socket", paramLabel = "PATH", description = "Unix socket of the daemon.")
        private Path socket;

        @Option(names = "--connect", paramLabel = "HOST:PORT", description = "TCP address of the daemon.")
        private String connect;

        @Option(names = "--config", paramLabel = "FILE", description = "Take the socket from this peekaboo.conf.")
        private Path config;
    }

    Duration timeout() {
        return Duration.ofSeconds(timeoutSeconds);
    }

    LineProtocolClient client() {
        return new LineProtocolClient(address(), timeout());
    }

    /** The daemon's address: a {@link UnixDomainSocketAddress} or an {@link InetSocketAddress}. */
    SocketAddress address() {
        if (target.connect != null) {
            HostPort address = HostPort.parse(target.connect);
            return new InetSocketAddress(address.host(), address.port());
        }
        if (target.socket != null) {
            return UnixDomainSocketAddress.of(target.socket.toAbsolutePath());
        }
        PeekabooConfig config = target.config != null
                ? PeekabooConfigLoader.load(target.config.toAbsolutePath()).config()
                : PeekabooConfig.embedded(EmbeddedEnvironment.current());
        return UnixDomainSocketAddress.of(config.server().socketFile());
    }
}
