package org.peekaboo.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.peekaboo.lineprotocol.ScanReply;
import org.peekaboo.sample.SampleDeclaration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "scan", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Asks a running daemon about files, as amavis does, and prints its verdicts: a whole"
                + " message (.eml) or an archive with the verdict of every part and member.",
                "Exit code: 0 good, 1 bad, 2 unchecked (try again later), 3 error."})
final class ScanCommand implements Callable<Integer> {
    static final int EXIT_BAD = 1;
    static final int EXIT_UNCHECKED = 2;

    @Spec
    private CommandSpec spec;

    @Mixin
    private ClientOptions clientOptions;

    @Option(names = {"-v", "--verbose"}, description = "Print the daemon's whole answer.")
    private boolean verbose;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Files to judge; the daemon must be allowed to read them.")
    private List<Path> files;

    @Override
    public Integer call() throws IOException {
        List<SampleDeclaration> declarations = files.stream()
                .map(file -> new SampleDeclaration(file.toAbsolutePath().toString(),
                        file.getFileName() == null ? null : file.getFileName().toString(), null, null))
                .toList();
        for (Path file : files) {
            if (!Files.exists(file)) {
                throw new CommandFailedException("no such file: " + file);
            }
        }
        ScanReply reply = clientOptions.client().scan(declarations);
        PrintWriter out = spec.commandLine().getOut();
        if (verbose) {
            reply.lines().forEach(out::println);
        }
        reply.errors().forEach(error -> spec.commandLine().getErr().println("error from the daemon: " + error));
        for (ScanReply.FileVerdict file : reply.files()) {
            out.printf("%s: %s (%s by %s: %s)%n", file.name(), file.verdict().label(), file.result(), file.rule(),
                    file.reason());
            // The parts of a whole message and the members of an archive, each under its file.
            for (ScanReply.MemberVerdict member : reply.members()) {
                if (member.file().equals(file.name())) {
                    out.printf("  %s: %s (%s by %s: %s)%n", member.member(), member.verdict().label(),
                            member.result(), member.rule(), member.reason());
                }
            }
        }
        out.println("collection: " + reply.verdict().label());
        out.flush();
        if (!reply.errors().isEmpty()) {
            return Main.EXIT_ERROR;
        }
        return switch (reply.verdict()) {
            case GOOD -> 0;
            case BAD -> EXIT_BAD;
            case UNCHECKED -> EXIT_UNCHECKED;
        };
    }
}
