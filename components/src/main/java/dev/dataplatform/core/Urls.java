package dev.dataplatform.core;

import java.net.IDN;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * URLs from config parse as URLs with a valid host before anything uses them: scheme https, no user info
 * (credentials belong in a Secret), a host that is a DNS name (labels of letters, digits and '-', at most 63
 * bytes each and 253 in all; an internationalised name is checked in its ASCII form by IDNA with the STD3
 * rules), an IPv4 address or a bracketed IPv6 address, an optional port 1-65535, then a path. Invisible and
 * control characters are refused before IDNA, which would otherwise drop a zero-width space silently.
 */
public final class Urls {
    static final int MAX_LENGTH = 2048;

    private Urls() {
    }

    /** Empty when {@code value} is such an https URL, else what is wrong and what is allowed. */
    public static Optional<String> https(String value) {
        String allowed = "; allowed: https://<host>[:port][/path] with a DNS host name or IP address, no user info, "
                + "such as https://otlp.example.com:4318";
        if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) {
            return Optional.of("is not a URL" + allowed);
        }
        for (int i = 0; i < value.length(); ) {
            int c = value.codePointAt(i);
            int type = Character.getType(c);
            if (Character.isISOControl(c) || Character.isWhitespace(c) || Character.isSpaceChar(c) || type == Character.FORMAT
                    || type == Character.UNASSIGNED || type == Character.PRIVATE_USE || type == Character.SURROGATE) {
                return Optional.of("'" + printable(value) + "' holds an invisible, space or control character (U+"
                        + String.format("%04X", c) + ")" + allowed);
            }
            i += Character.charCount(c);
        }
        if (!value.regionMatches(true, 0, "https://", 0, 8)) {
            return Optional.of("'" + value + "' is not an https:// URL" + allowed);
        }
        int end = 8;
        while (end < value.length() && "/?#".indexOf(value.charAt(end)) < 0) {
            end++;
        }
        String authority = value.substring(8, end);
        if (authority.contains("@")) {
            return Optional.of("'" + value.substring(0, 8) + "…@" + value.substring(value.lastIndexOf('@', end) + 1)
                    + "' has user info: credentials belong in a Secret, not in the URL" + allowed);
        }
        String host = authority;
        String port = null;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                return Optional.of("'" + value + "' has an unterminated IPv6 address" + allowed);
            }
            host = authority.substring(0, close + 1);
            if (close + 1 < authority.length()) {
                if (authority.charAt(close + 1) != ':') {
                    return Optional.of("'" + value + "' has characters after its IPv6 address" + allowed);
                }
                port = authority.substring(close + 2);
            }
        } else if (authority.indexOf(':') >= 0) {
            host = authority.substring(0, authority.indexOf(':'));
            port = authority.substring(authority.indexOf(':') + 1);
        }
        if (port != null && !(port.matches("[0-9]{1,5}") && Integer.parseInt(port) >= 1 && Integer.parseInt(port) <= 65535)) {
            return Optional.of("'" + value + "' has port '" + port + "'; allowed: 1 to 65535");
        }
        var hostProblem = host(host);
        if (hostProblem.isPresent()) {
            return Optional.of("'" + value + "': " + hostProblem.get() + allowed);
        }
        String ascii = host.startsWith("[") ? host : IDN.toASCII(host, IDN.USE_STD3_ASCII_RULES);
        try {
            var uri = new URI("https://" + ascii + (port == null ? "" : ":" + port) + value.substring(end));
            if (uri.getHost() == null) {
                return Optional.of("'" + value + "' has no host" + allowed);
            }
        } catch (URISyntaxException e) {
            return Optional.of("'" + value + "' does not parse as a URL (" + e.getReason() + ")" + allowed);
        }
        return Optional.empty();
    }

    /** Empty when {@code host} is a DNS name (IDNA, STD3 rules), an IPv4 address or a bracketed IPv6 address. */
    public static Optional<String> host(String host) {
        if (host.isEmpty()) {
            return Optional.of("the host is empty");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            try {
                return new URI("https://" + host + "/").getHost() == null ? Optional.of("'" + host + "' is not an IPv6 address")
                        : Optional.empty();
            } catch (URISyntaxException e) {
                return Optional.of("'" + host + "' is not an IPv6 address");
            }
        }
        String ascii;
        try {
            ascii = IDN.toASCII(host, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return Optional.of("host '" + host + "' is not a valid host name (" + e.getMessage() + ")");
        }
        if (ascii.endsWith(".")) {
            ascii = ascii.substring(0, ascii.length() - 1);
        }
        if (ascii.isEmpty() || ascii.length() > 253) {
            return Optional.of("host '" + host + "' is not 1 to 253 characters");
        }
        for (String label : ascii.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")
                    || !label.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
                return Optional.of("host '" + host + "' has label '" + label + "'; allowed: labels of 1 to 63 letters, digits and "
                        + "'-', not starting or ending with '-'");
            }
        }
        if (ascii.chars().allMatch(c -> (c >= '0' && c <= '9') || c == '.')) {
            String[] parts = ascii.split("\\.");
            boolean ipv4 = parts.length == 4;
            for (String p : parts) {
                ipv4 &= p.length() <= 3 && Integer.parseInt(p) <= 255;
            }
            if (!ipv4) {
                return Optional.of("host '" + host + "' is neither a host name nor an IPv4 address");
            }
        }
        return Optional.empty();
    }

    private static String printable(String value) {
        var out = new StringBuilder();
        value.codePoints().limit(200).forEach(c -> {
            int type = Character.getType(c);
            if (Character.isISOControl(c) || type == Character.FORMAT || (Character.isWhitespace(c) && c != ' ')
                    || Character.isSpaceChar(c) && c != ' ' || type == Character.UNASSIGNED || type == Character.PRIVATE_USE
                    || type == Character.SURROGATE) {
                out.append(String.format("\\u%04X", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }
}
