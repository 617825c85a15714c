package org.peekaboo.config;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One entry of {@code [server] allowed_client}: an IPv4 or IPv6 address, or a network in CIDR
 * notation ({@code 192.0.2.0/24}, {@code 2001:db8::/32}). Only literal addresses: a host name
 * would make the allow-list depend on whoever answers DNS.
 *
 * @param network      the network's address, host bits cleared
 * @param prefixLength how many leading bits a client's address must share with it
 */
public record ClientNetwork(InetAddress network, int prefixLength) {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    private static final String FORMS = "allowed: an IPv4 or IPv6 address, or a network such as 192.0.2.0/24 or"
            + " 2001:db8::/32; no host names";

    public ClientNetwork {
        Objects.requireNonNull(network, "network");
        int bits = network.getAddress().length * 8;
        if (prefixLength < 0 || prefixLength > bits) {
            throw new ConfigException("prefix length /" + prefixLength + " is out of range (allowed: 0 to " + bits
                    + " for " + network.getHostAddress() + ")");
        }
        network = masked(network, prefixLength);
    }

    /** @throws ConfigException naming the text and the accepted forms */
    public static ClientNetwork parse(String text) {
        String trimmed = text.strip();
        int slash = trimmed.indexOf('/');
        String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
        if (address.startsWith("[") && address.endsWith("]")) {
            address = address.substring(1, address.length() - 1);
        }
        if (!IPV4.matcher(address).matches() && !IPV6.matcher(address).matches()) {
            throw new ConfigException("\"" + text + "\" is not an address or network (" + FORMS + ")");
        }
        InetAddress parsed;
        try {
            // Only literals reach this point, so no name is looked up.
            parsed = InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new ConfigException("\"" + text + "\" is not an address or network (" + FORMS + ")");
        }
        int bits = parsed.getAddress().length * 8;
        if (slash < 0) {
            return new ClientNetwork(parsed, bits);
        }
        String prefix = trimmed.substring(slash + 1);
        if (!prefix.matches("\\d{1,3}")) {
            throw new ConfigException("\"" + text + "\": \"/" + prefix + "\" is not a prefix length (" + FORMS + ")");
        }
        return new ClientNetwork(parsed, Integer.parseInt(prefix));
    }

    /** Whether {@code client} lies in this network; an IPv4 client seen as {@code ::ffff:a.b.c.d} counts as IPv4. */
    public boolean contains(InetAddress client) {
        InetAddress address = unmapped(client);
        if (address.getClass() != network.getClass()) {
            return false;
        }
        return Arrays.equals(masked(address, prefixLength).getAddress(), network.getAddress());
    }

    /** Whether this entry admits anybody at all, e.g. {@code 0.0.0.0/0}. */
    public boolean everyone() {
        return prefixLength == 0;
    }

    private static InetAddress unmapped(InetAddress address) {
        if (address instanceof Inet6Address) {
            byte[] bytes = address.getAddress();
            boolean mapped = true;
            for (int i = 0; i < 10; i++) {
                mapped &= bytes[i] == 0;
            }
            if (mapped && bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff) {
                try {
                    return Inet4Address.getByAddress(Arrays.copyOfRange(bytes, 12, 16));
                } catch (UnknownHostException e) {
                    throw new IllegalStateException("four bytes are always an IPv4 address", e);
                }
            }
        }
        return address;
    }

    private static InetAddress masked(InetAddress address, int prefixLength) {
        byte[] bytes = address.getAddress();
        for (int bit = prefixLength; bit < bytes.length * 8; bit++) {
            bytes[bit / 8] &= (byte) ~(0x80 >> (bit % 8));
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("an address of 4 or 16 bytes is always valid", e);
        }
    }

    /** The form {@link #parse} reads back: {@code 192.0.2.0/24}, or the address alone for a single host. */
    @Override
    public String toString() {
        int bits = network.getAddress().length * 8;
        return prefixLength == bits ? network.getHostAddress() : network.getHostAddress() + "/" + prefixLength;
    }
}
