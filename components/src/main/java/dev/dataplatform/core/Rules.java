package dev.dataplatform.core;

import java.util.Optional;
import java.util.regex.Pattern;

/** The shape of every naming rule: empty when {@code value} matches, else what is wrong and what is allowed. */
public final class Rules {
    /** A Kubernetes object name (namespace, ServiceAccount, Deployment): a DNS-1123 label. */
    public static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    private Rules() {
    }

    public static Optional<String> dnsLabel(String value) {
        return matches(DNS_LABEL, value, "a DNS-1123 label: 1-63 lower-case letters, digits and '-', "
                + "starting and ending with a letter or digit");
    }

    public static Optional<String> matches(Pattern pattern, String value, String allowed) {
        if (value != null && pattern.matcher(value).matches()) {
            return Optional.empty();
        }
        return Optional.of("'" + value + "' is not valid; allowed: " + allowed);
    }

    /**
     * An IPv4 network inside one private range (RFC 1918: 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16), parsed
     * as numbers rather than compared as text: {@code 10.0.0.0/0} or {@code 192.168.0.0/1} reach far beyond
     * the range their prefix text suggests. Host bits must be zero, as the network is written.
     */
    public static Optional<String> privateIpv4Cidr(String value) {
        String allowed = "an IPv4 network inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16, such as 10.20.0.0/16";
        if (value == null || value.length() > 18) {
            return Optional.of("'" + shorten(value) + "' is not valid; allowed: " + allowed);
        }
        var parts = value.split("[./]", -1);
        if (parts.length != 5) {
            return Optional.of("'" + value + "' is not valid; allowed: " + allowed);
        }
        long address = 0;
        int prefix;
        try {
            for (int i = 0; i < 4; i++) {
                int octet = decimal(parts[i], 255);
                address = (address << 8) | octet;
            }
            prefix = decimal(parts[4], 32);
        } catch (IllegalArgumentException e) {
            return Optional.of("'" + value + "' is not valid; allowed: " + allowed);
        }
        long mask = prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
        long network = address & mask;
        boolean inside = (prefix >= 8 && (network >>> 24) == 10)
                || (prefix >= 12 && (network >>> 20) == ((172L << 4) | 1))
                || (prefix >= 16 && (network >>> 16) == ((192L << 8) | 168));
        if (!inside) {
            return Optional.of("'" + value + "' is not inside a private range; allowed: " + allowed);
        }
        if (network != address) {
            return Optional.of("'" + value + "' has host bits set; write the network: " + ((network >> 24) & 255) + "."
                    + ((network >> 16) & 255) + "." + ((network >> 8) & 255) + "." + (network & 255) + "/" + prefix);
        }
        return Optional.empty();
    }

    /** A decimal number from 0 to max, without sign or leading zeros (as the address is usually written). */
    private static int decimal(String text, int max) {
        if (text.isEmpty() || text.length() > 3 || !text.chars().allMatch(c -> c >= '0' && c <= '9')
                || (text.length() > 1 && text.charAt(0) == '0')) {
            throw new IllegalArgumentException(text);
        }
        int value = Integer.parseInt(text);
        if (value > max) {
            throw new IllegalArgumentException(text);
        }
        return value;
    }

    private static String shorten(String value) {
        return value == null ? "null" : value.length() > 40 ? value.substring(0, 40) + "..." : value;
    }
}
