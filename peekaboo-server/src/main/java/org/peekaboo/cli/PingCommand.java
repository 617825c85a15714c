package org.peekaboo.cli;

import java.io.IOException;
import java.util.concurrent.Callable;
import org.peekaboo.lineprotocol.LineProtocolClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "ping", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Checks that a daemon answers (exit code 0), e.g. for health checks.")
final class PingCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private ClientOptions clientOptions;

    @Override
    public Integer call() throws IOException {
        LineProtocolClient client = clientOptions.client();
        if (!client.ping()) {
            throw new CommandFailedException("the daemon at " + client + " did not answer the ping");
        }
        spec.commandLine().getOut().println("pong from " + client);
        return 0;
    }
}
