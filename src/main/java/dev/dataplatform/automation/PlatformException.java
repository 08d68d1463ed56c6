package dev.dataplatform.automation;

/** A failure of an automation operation, with what went wrong and what to do. */
public final class PlatformException extends RuntimeException {
    /** What kind of failure; the command line maps each to an exit code. */
    public enum Kind {
        /** The Pulumi CLI is not on PATH (where the Automation API runs it) or cannot be used. */
        CLI_MISSING,
        /** No such stack in the backend. */
        STACK_NOT_FOUND,
        /** A stack of that name already exists (creating it). */
        STACK_EXISTS,
        /** Another update of the stack is in progress. */
        CONFLICT,
        /** The engine ran and the update failed. */
        UPDATE_FAILED,
        /** Refused by a guard (e.g. destroying a protected environment without force). */
        REFUSED,
        /** Bad input: config, a tenant entry, a stack file. */
        INVALID
    }

    private final Kind kind;

    public PlatformException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public PlatformException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
