package org.peekaboo.lineprotocol;

/** What the decoder makes of the client's request line: a request, or why there is none. */
sealed interface ClientRequest permits ScanRequest, StatusRequest, MalformedRequest {
}
