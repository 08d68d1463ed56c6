package dev.dataplatform.core;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * When the database alerts fire. Defaults come from the environment ({@link EnvironmentProfile#alertThresholds}); a stack
 * overrides any of them under {@code data-platform:alerts.thresholds}, each within {@link #RANGES}.
 *
 * @param cpuPercent         CPU utilization above this, in percent (Cloud SQL, RDS)
 * @param memoryPercent      memory utilization above this, in percent (Cloud SQL)
 * @param diskCeilingPercent Cloud SQL: bytes used above this percent of the autoresize ceiling; RDS: free storage below
 *                           {@code min(100 - diskCeilingPercent, 5)} percent of the allocated storage, under storage
 *                           autoscaling's own trigger (10 % free for 5 minutes), so it fires only when autoscaling does
 *                           not replenish (ceiling reached, or within 6 hours of the last increase)
 * @param connectionsPercent connections above this percent of the instance's max_connections (Cloud SQL, RDS)
 * @param freeableMemoryMiB  RDS FreeableMemory below this many MiB
 * @param readIops           RDS ReadIOPS above this many operations per second
 * @param writeLatencyMs     RDS WriteLatency above this many milliseconds
 * @param forMinutes         how long a condition must hold before the alert fires
 * @param replicaLagSeconds  a StackGres replica behind its primary by more than this many seconds (tenant rules)
 */
public record AlertThresholds(
        int cpuPercent,
        int memoryPercent,
        int diskCeilingPercent,
        int connectionsPercent,
        int freeableMemoryMiB,
        int readIops,
        int writeLatencyMs,
        int forMinutes,
        int replicaLagSeconds) {

    /**
     * Allowed range of each threshold, by its config key (data-platform:alerts.thresholds.KEY). Percentages stop at 99:
     * the conditions are "above", and a utilization cannot be above 100 %, so 100 would be an alert that never fires.
     */
    public static final Map<String, int[]> RANGES;

    static {
        var ranges = new LinkedHashMap<String, int[]>();
        ranges.put("cpuPercent", new int[]{10, 99});
        ranges.put("memoryPercent", new int[]{10, 99});
        ranges.put("diskCeilingPercent", new int[]{50, 99});
        ranges.put("connectionsPercent", new int[]{10, 99});
        ranges.put("freeableMemoryMiB", new int[]{16, 1_048_576});
        ranges.put("readIops", new int[]{1, 256_000});
        ranges.put("writeLatencyMs", new int[]{1, 10_000});
        ranges.put("forMinutes", new int[]{1, 60});
        ranges.put("replicaLagSeconds", new int[]{10, 86_400});
        RANGES = java.util.Collections.unmodifiableMap(ranges);
    }

    public AlertThresholds {
        check("cpuPercent", cpuPercent);
        check("memoryPercent", memoryPercent);
        check("diskCeilingPercent", diskCeilingPercent);
        check("connectionsPercent", connectionsPercent);
        check("freeableMemoryMiB", freeableMemoryMiB);
        check("readIops", readIops);
        check("writeLatencyMs", writeLatencyMs);
        check("forMinutes", forMinutes);
        check("replicaLagSeconds", replicaLagSeconds);
    }

    private static void check(String key, int value) {
        int[] range = RANGES.get(key);
        if (value < range[0] || value > range[1]) {
            throw new IllegalArgumentException(key + " " + value + " is out of range; allowed: " + range[0] + " to " + range[1]);
        }
    }

    /** The thresholds as config keys and values (the parser overrides some of them). */
    public Map<String, Integer> asMap() {
        var map = new LinkedHashMap<String, Integer>();
        map.put("cpuPercent", cpuPercent);
        map.put("memoryPercent", memoryPercent);
        map.put("diskCeilingPercent", diskCeilingPercent);
        map.put("connectionsPercent", connectionsPercent);
        map.put("freeableMemoryMiB", freeableMemoryMiB);
        map.put("readIops", readIops);
        map.put("writeLatencyMs", writeLatencyMs);
        map.put("forMinutes", forMinutes);
        map.put("replicaLagSeconds", replicaLagSeconds);
        return map;
    }

    /** Thresholds from config keys and values (every key of {@link #RANGES}). */
    public static AlertThresholds of(Map<String, Integer> values) {
        return new AlertThresholds(values.get("cpuPercent"), values.get("memoryPercent"),
                values.get("diskCeilingPercent"), values.get("connectionsPercent"), values.get("freeableMemoryMiB"),
                values.get("readIops"), values.get("writeLatencyMs"), values.get("forMinutes"),
                values.get("replicaLagSeconds"));
    }
}
