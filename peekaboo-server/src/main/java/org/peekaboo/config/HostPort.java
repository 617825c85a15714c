package org.peekaboo.config;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TCP listen address as configured: {@code host:port}, {@code [ipv6]:port}, or a port
 * alone meaning {@code 127.0.0.1:port}. Names are not resolved here; that happens when the
 * listener binds.
 */
public record HostPort(String host, int port) {
    /** Where a bare port listens: loopback, so TCP is never exposed by accident. */
    public static final String DEFAULT_HOST = "127.0.0.1";

    private static final Pattern PORT_ONLY = Pattern.compile("\\d+");
    private static final Pattern BRACKETED = Pattern.compile("\\[([^\\]]*)\\]:(\\d+)");
    private static final Pattern HOST_AND_PORT = Pattern.compile("([^:\\[\\]]+):(\\d+)");
    private static final Pattern LITERAL_IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%[A-Za-z0-9._-]+)?");
    private static final String FORMS = "allowed: host:port, [ipv6]:port or a port alone for 127.0.0.1:port;"
            + " port 1 to 65535";

    public HostPort {
        Objects.requireNonNull(host, "host");
        if (!HOST_NAME.matcher(host).matches() && !IPV6.matcher(host).matches()) {
            throw new ConfigException("\"" + host + "\" is not a host name or IP address");
        }
        if (port < 1 || port > 65535) {
            throw new ConfigException("port " + port + " is out of range (allowed: 1 to 65535)");
        }
    }

    /**
     * @throws ConfigException naming the text and the accepted forms
     */
    public static HostPort parse(String text) {
        String trimmed = text.strip();
        if (PORT_ONLY.matcher(trimmed).matches()) {
            return new HostPort(DEFAULT_HOST, port(text, trimmed));
        }
        Matcher bracketed = BRACKETED.matcher(trimmed);
        if (bracketed.matches()) {
            String host = bracketed.group(1);
            if (!IPV6.matcher(host).matches()) {
                throw new ConfigException("\"" + text + "\": \"" + host + "\" in brackets is not an IPv6 address ("
                        + FORMS + ")");
            }
            return new HostPort(host, port(text, bracketed.group(2)));
        }
        Matcher plain = HOST_AND_PORT.matcher(trimmed);
        if (plain.matches()) {
            String host = plain.group(1);
            if (!HOST_NAME.matcher(host).matches()) {
                throw new ConfigException("\"" + text + "\": \"" + host + "\" is not a host name or IPv4 address ("
                        + FORMS + ")");
            }
            return new HostPort(host, port(text, plain.group(2)));
        }
        if (trimmed.indexOf(':') != trimmed.lastIndexOf(':')) {
            throw new ConfigException("\"" + text + "\" is not a listen address; write IPv6 addresses in brackets,"
                    + " e.g. [::1]:8100 (" + FORMS + ")");
        }
        throw new ConfigException("\"" + text + "\" is not a listen address (" + FORMS + ")");
    }

    private static int port(String text, String digits) {
        int port;
        try {
            port = Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) {
            throw new ConfigException("\"" + text + "\": port " + digits + " is out of range (" + FORMS + ")");
        }
        return port;
    }

    /**
     * Whether only this host can connect: {@code localhost} or a loopback address. Any other name
     * counts as reachable from elsewhere, since what it resolves to can change.
     */
    public boolean loopback() {
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!LITERAL_IPV4.matcher(host).matches() && !IPV6.matcher(host).matches()) {
            return false;
        }
        try {
            // A literal: nothing is looked up.
            return java.net.InetAddress.getByName(host).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    /** The form {@link #parse} reads back, with IPv6 addresses in brackets. */
    @Override
    public String toString() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
