package org.peekaboo.lineprotocol;

import java.util.List;
import org.peekaboo.sample.SampleDeclaration;

/** A well-formed request: its parts in the order the client sent them. */
record ScanRequest(List<RequestPart> parts) implements ClientRequest {
    ScanRequest {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("a request has at least one part");
        }
        if (parts.stream().anyMatch(RequestPart.Status.class::isInstance)) {
            throw new IllegalArgumentException("a status request is a StatusRequest");
        }
        parts = List.copyOf(parts);
    }

    /** The files to judge, in request order. */
    List<SampleDeclaration> files() {
        return parts.stream()
                .filter(RequestPart.ScanFile.class::isInstance)
                .map(part -> ((RequestPart.ScanFile) part).declaration())
                .toList();
    }

    long pings() {
        return parts.stream().filter(RequestPart.Ping.class::isInstance).count();
    }
}
