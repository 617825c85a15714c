package org.peekaboo.cli;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The samples of one {@code bench --clamd} or {@code bench --http} run: {@code requestCount}
 * requests that take the distinct samples in turn, either a new sample each (every request is analysed) or a few
 * known ones, which the run sends once before its clock starts. Every {@code markerEvery}-th
 * distinct sample carries the PeekabooYar marker, so the run knows how many replies must be
 * FOUND and can tell a fast server from a wrong one.
 *
 * @param contents    each distinct sample's bytes
 * @param streams     one read-only INSTREAM request per distinct sample; requests are duplicates
 * @param expectedBad how many of the timed requests carry the marker
 */
record BenchSamples(List<byte[]> contents, List<ByteBuffer> streams, int requestCount, boolean known,
                    int expectedBad) {

    BenchSamples {
        contents = List.copyOf(contents);
        streams = List.copyOf(streams);
    }

    static BenchSamples make(int requestCount, int known, int markerEvery, int size) {
        String run = UUID.randomUUID().toString();
        int distinct = known > 0 ? known : requestCount;
        List<byte[]> contents = new ArrayList<>(distinct);
        List<ByteBuffer> streams = new ArrayList<>(distinct);
        for (int i = 0; i < distinct; i++) {
            byte[] content = BenchRequests.sample(run, i, size, marked(i, markerEvery));
            contents.add(content);
            streams.add(BenchRequests.instream(content).asReadOnlyBuffer());
        }
        int expectedBad = 0;
        for (int r = 0; r < requestCount; r++) {
            expectedBad += marked(r % distinct, markerEvery) ? 1 : 0;
        }
        return new BenchSamples(contents, streams, requestCount, known > 0, expectedBad);
    }

    private static boolean marked(int sample, int markerEvery) {
        return markerEvery > 0 && (sample + 1) % markerEvery == 0;
    }

    int expectedGood() {
        return requestCount - expectedBad;
    }

    /** The timed requests, each a buffer of its own (a connection consumes what it writes). */
    ByteBuffer[] requests() {
        ByteBuffer[] requests = new ByteBuffer[requestCount];
        for (int r = 0; r < requestCount; r++) {
            requests[r] = streams.get(r % streams.size()).duplicate();
        }
        return requests;
    }

    /** Each known sample once, for a server to learn before the clock starts; none when all are new. */
    ByteBuffer[] primingRequests() {
        return known ? streams.stream().map(ByteBuffer::duplicate).toArray(ByteBuffer[]::new) : new ByteBuffer[0];
    }

    /** The sample of each timed request, for uploads. */
    List<byte[]> uploads() {
        List<byte[]> uploads = new ArrayList<>(requestCount);
        for (int r = 0; r < requestCount; r++) {
            uploads.add(contents.get(r % contents.size()));
        }
        return uploads;
    }

    /** Each known sample once, uploaded before the clock starts; none when all are new. */
    List<byte[]> primingUploads() {
        return known ? contents : List.of();
    }
}
