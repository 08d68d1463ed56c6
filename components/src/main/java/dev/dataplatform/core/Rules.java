package dev.dataplatform.core;

import java.util.Optional;
import java.util.regex.Pattern;

/** The shape of every naming rule: empty when {@code value} matches, else what is wrong and what is allowed. */
public final class Rules {
    private Rules() {
    }

    public static Optional<String> matches(Pattern pattern, String value, String allowed) {
        if (value != null && pattern.matcher(value).matches()) {
            return Optional.empty();
        }
        return Optional.of("'" + value + "' is not valid; allowed: " + allowed);
    }
}
