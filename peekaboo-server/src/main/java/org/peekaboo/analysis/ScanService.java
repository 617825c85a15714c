package org.peekaboo.analysis;

import java.time.Duration;
import java.util.List;
import org.peekaboo.sample.Sample;
import org.peekaboo.sample.SampleDeclaration;
import org.peekaboo.verdict.SampleVerdict;

/**
 * The verdict engine as the front ends see it. Never blocks the caller: every step runs
 * on the engine's own threads.
 */
public interface ScanService {

    /**
     * Checks the files of one request and starts judging them.
     *
     * <p>The job completes exceptionally with {@link RejectedRequestException} when a file may not
     * be scanned (relative, missing, not a regular file, unreadable, outside the allowed
     * directories); its message is meant for the client. Otherwise it completes with one
     * {@link JudgedSample} per declaration, in request order, once every file is judged.
     *
     * @param patience how long the client waits for the verdict; samples that cannot be judged
     *                 within it are answered {@code unchecked} at once (overload)
     */
    ScanJob start(List<SampleDeclaration> declarations, Duration patience);

    /**
     * A judged file, and when it is a container (a message, an archive) everything in it.
     *
     * @param sample          the sample, or null when its content could not even be read
     * @param verdict         the verdict: for a container the worst of its own and its members' (its report
     *                        holds its own rules' results and what kept it from being opened completely);
     *                        undecided ones carry {@code unchecked} or {@code failed}
     * @param members         the judged members of a container, in its order; empty for anything else
     * @param decidingMember  the declared path of the member whose verdict is the container's, or null
     *                        when the container's own rules decided
     */
    record JudgedSample(Sample sample, SampleVerdict verdict, List<JudgedSample> members, String decidingMember) {
        public JudgedSample {
            members = List.copyOf(members);
        }

        public JudgedSample(Sample sample, SampleVerdict verdict) {
            this(sample, verdict, List.of(), null);
        }

        /** A file that was not judged, for the reason {@code verdict} gives. */
        public static JudgedSample undecided(SampleVerdict verdict) {
            return new JudgedSample(null, verdict);
        }
    }

    /** A request the engine refuses to work on; the message is for the client. */
    final class RejectedRequestException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public RejectedRequestException(String message) {
            super(message, null, false, false);
        }
    }
}
