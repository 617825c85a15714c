package org.peekaboo.clamd;

/**
 * One line of a reply as {@link ClamdReplyEncoder} writes it.
 *
 * @param prefix     {@code <n>: } inside IDSESSION, else empty
 * @param terminator the request's, which decides how the line ends
 */
record ClamdReplyLine(String prefix, String line, Terminator terminator) {
}
