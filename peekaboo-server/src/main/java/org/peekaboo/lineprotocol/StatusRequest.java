package org.peekaboo.lineprotocol;

/** {@code [{"request": "status"}]}: the daemon's state, answered with one line of JSON. */
record StatusRequest() implements ClientRequest {
}
