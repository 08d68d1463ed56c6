package dev.dataplatform.guardrails;

import java.util.Locale;

/** An error fails the plan (exit code 1); a warning is reported only. */
public enum Severity {
    ERROR, WARNING;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
