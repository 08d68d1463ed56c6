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
}
