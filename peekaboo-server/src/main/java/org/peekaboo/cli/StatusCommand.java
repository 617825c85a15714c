package org.peekaboo.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.peekaboo.status.DaemonStatus;
import org.peekaboo.status.StatusJson;
import org.peekaboo.status.StatusText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "status", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Asks a running daemon how it is doing: version, listeners, database, Cortex, samples in"
                + " flight and queued, uptime, and the cluster's instances holding sample locks.",
                "Exit code: 0 all well, 1 degraded (database unavailable or Cortex failing), 3 daemon not"
                        + " reachable or error."})
final class StatusCommand implements Callable<Integer> {
    static final int EXIT_DEGRADED = 1;

    @Spec
    private CommandSpec spec;

    @Mixin
    private ClientOptions clientOptions;

    @Option(names = "--json", description = "Print the daemon's status as one JSON object, for machines.")
    private boolean json;

    @Override
    public Integer call() throws IOException {
        DaemonStatus status = clientOptions.client().status();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(StatusJson.line(status));
        } else {
            StatusText.report(status).forEach(out::println);
        }
        out.flush();
        return status.health() == DaemonStatus.Health.OK ? 0 : EXIT_DEGRADED;
    }
}
