package dev.dataplatform.core;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one cron rule of the project: a standard 5-field expression (minute hour day-of-month month
 * day-of-week; numbers, ranges, lists, steps and {@code *}), the format of a Kubernetes CronJob's
 * {@code spec.schedule} and of StackGres's {@code cronSchedule}. Names (MON, JAN) and macros (@daily) are
 * not accepted, so every schedule reads the same way.
 */
public final class Cron {
    private static final Pattern FIELD = Pattern.compile("(\\*|\\d+(-\\d+)?)(/\\d+)?(,(\\*|\\d+(-\\d+)?)(/\\d+)?)*");
    private static final int[][] RANGES = {{0, 59}, {0, 23}, {1, 31}, {1, 12}, {0, 7}};
    private static final String[] NAMES = {"minute", "hour", "day of month", "month", "day of week"};
    static final int MAX_LENGTH = 256;

    private Cron() {
    }

    /** Empty when {@code value} is such an expression, else what is wrong and what is allowed. */
    public static Optional<String> check(String value) {
        String allowed = "; allowed: 5 fields 'minute hour day-of-month month day-of-week' with numbers, ranges (1-5), "
                + "lists (1,15), steps (*/15) and *, such as '30 1 * * *'";
        if (value == null || value.isBlank() || value.length() > MAX_LENGTH) {
            return Optional.of("is not a 5-field cron expression" + allowed);
        }
        String[] fields = value.trim().split("\\s+");
        if (fields.length != 5) {
            return Optional.of("'" + value + "' is not a 5-field cron expression" + allowed);
        }
        for (int i = 0; i < 5; i++) {
            if (!FIELD.matcher(fields[i]).matches()) {
                return Optional.of("'" + value + "': " + NAMES[i] + " field '" + fields[i] + "' is not valid" + allowed);
            }
            for (String number : fields[i].split("[^0-9]+")) {
                if (number.isEmpty()) {
                    continue;
                }
                long n = number.length() > 4 ? Long.MAX_VALUE : Long.parseLong(number);
                boolean step = fields[i].contains("/" + number);
                if (!step && (n < RANGES[i][0] || n > RANGES[i][1]) || step && n < 1) {
                    return Optional.of("'" + value + "': " + NAMES[i] + " value " + number + " is out of range "
                            + RANGES[i][0] + "-" + RANGES[i][1] + allowed);
                }
            }
        }
        return Optional.empty();
    }
}
