package dev.dataplatform.core;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The type of every setting a managed PostgreSQL 15 takes from config (Cloud SQL database flags, RDS
 * parameter-group parameters), so a value that is not of its setting's type is refused before anything is
 * declared: {@code 1000'; DROP ROLE postgres; --} is no integer. The PostgreSQL settings are the server's own
 * catalogue ({@code postgresql-15-settings.tsv}, dumped from {@code pg_settings} of PostgreSQL 15.18); the
 * managed services' own flags are the few listed here, from their documentation; a dotted name of another
 * prefix is an extension's setting (pgaudit.log, pg_stat_statements.track), checked as plain text.
 */
public final class PostgresSettings {
    /** Which service's own settings, besides PostgreSQL's, a name may be. */
    public enum Service {
        CLOUD_SQL("cloudsql."), RDS("rds.");

        final String prefix;

        Service(String prefix) {
            this.prefix = prefix;
        }
    }

    /** One setting: its type, bounds (integer, real), allowed values (enum, bool) and unit. */
    record Setting(String name, String type, String min, String max, List<String> values, String unit) {
    }

    static final Map<String, Setting> POSTGRESQL_15 = load();

    /**
     * The services' own settings the project knows. Cloud SQL: "Configure database flags", supported flags for
     * PostgreSQL (cloud.google.com/sql/docs/postgres/flags); RDS: "Working with parameters on your RDS for
     * PostgreSQL DB instance" (docs.aws.amazon.com, AmazonRDS/latest/UserGuide/Appendix.PostgreSQL.CommonDBATasks.Parameters).
     */
    static final Map<String, Setting> SERVICE = Map.ofEntries(
            bool("cloudsql.iam_authentication"), bool("cloudsql.enable_pgaudit"), bool("cloudsql.logical_decoding"),
            bool("cloudsql.enable_pg_cron"), bool("cloudsql.enable_pglogical"),
            bool("rds.force_ssl"), bool("rds.logical_replication"), bool("rds.restrict_password_commands"),
            Map.entry("rds.log_retention_period", new Setting("rds.log_retention_period", "integer", "1440", "10080", List.of(), "min")),
            Map.entry("rds.accepted_password_auth_method", new Setting("rds.accepted_password_auth_method", "enum", "", "",
                    List.of("md5+scram", "scram"), "")));

    static final Set<String> BOOLEAN = Set.of("on", "off", "true", "false", "yes", "no", "1", "0");
    static final Pattern INTEGER = Pattern.compile("-?[0-9]{1,19}");
    static final Pattern INTEGER_WITH_UNIT = Pattern.compile("(-?[0-9]{1,19})\\s*(B|kB|MB|GB|TB|us|ms|s|min|h|d)");
    static final Pattern REAL = Pattern.compile("-?([0-9]{1,19}(\\.[0-9]{0,19})?|\\.[0-9]{1,19})([eE][-+]?[0-9]{1,3})?");
    /** An RDS parameter formula such as {DBInstanceClassMemory/32768}. */
    static final Pattern RDS_FORMULA = Pattern.compile("\\{[A-Za-z0-9*/+() -]{1,120}\\}");
    static final Set<String> MEMORY_UNITS = Set.of("B", "kB", "8kB", "MB");
    static final Set<String> TIME_UNITS = Set.of("ms", "s", "min");
    static final int MAX_LENGTH = 1024;

    private PostgresSettings() {
    }

    private static Map.Entry<String, Setting> bool(String name) {
        return Map.entry(name, new Setting(name, "bool", "", "", List.of(), ""));
    }

    private static Map<String, Setting> load() {
        var settings = new TreeMap<String, Setting>();
        var in = PostgresSettings.class.getResourceAsStream("postgresql-15-settings.tsv");
        if (in == null) {
            throw new IllegalStateException("postgresql-15-settings.tsv is missing from the classpath");
        }
        try (var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                String name = f[0].toLowerCase(Locale.ROOT);
                settings.put(name, new Setting(name, f[1], f[2], f[3], f[4].isEmpty() ? List.of() : List.of(f[4].split(",")), f[5]));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.copyOf(settings);
    }

    /** Whether {@code name} is a PostgreSQL 15 setting (any case, as PostgreSQL reads names). */
    public static boolean isPostgresSetting(String name) {
        return POSTGRESQL_15.containsKey(name.toLowerCase(Locale.ROOT));
    }

    /** Empty when {@code value} is of the type of setting {@code name} on {@code service}, else what is wrong and allowed. */
    public static Optional<String> check(Service service, String name, String value) {
        String key = name.toLowerCase(Locale.ROOT);
        if (value == null || value.length() > MAX_LENGTH || value.codePoints().anyMatch(c -> Character.isISOControl(c)
                || Character.getType(c) == Character.FORMAT)) {
            return Optional.of("the value holds control or invisible characters or is over " + MAX_LENGTH + " characters");
        }
        Setting setting = POSTGRESQL_15.get(key);
        if (setting == null && key.startsWith(service.prefix)) {
            setting = SERVICE.get(key);
            if (setting == null) {
                return Optional.of("'" + name + "' is not a " + service.prefix + "* setting known here; allowed: "
                        + SERVICE.keySet().stream().filter(k -> k.startsWith(service.prefix)).sorted().toList()
                        + " or a PostgreSQL 15 setting");
            }
        }
        if (setting == null) {
            int dot = key.indexOf('.');
            if (dot <= 0 || Service.CLOUD_SQL.prefix.startsWith(key.substring(0, dot + 1))
                    || Service.RDS.prefix.startsWith(key.substring(0, dot + 1))) {
                return Optional.of("'" + name + "' is not a PostgreSQL 15 setting; allowed: a name from pg_settings (such as "
                        + "work_mem), a " + service.prefix + "* setting, or an extension's <extension>.<setting>");
            }
            // An extension's setting: its type is the extension's; plain text without quoting or statement breaks.
            return value.chars().anyMatch(c -> c == '\'' || c == '"' || c == ';' || c == '\\')
                    ? Optional.of("'" + value + "' is not a plain value for extension setting " + name
                    + "; allowed: text without quotes, ';' or '\\'")
                    : Optional.empty();
        }
        return checkValue(service, setting, value.trim());
    }

    private static Optional<String> checkValue(Service service, Setting s, String value) {
        String what = s.name + " is " + describe(s);
        switch (s.type) {
            case "bool":
                return BOOLEAN.contains(value.toLowerCase(Locale.ROOT)) ? Optional.empty()
                        : Optional.of("'" + value + "' is not a boolean; " + what);
            case "enum":
                return s.values.stream().anyMatch(v -> v.equalsIgnoreCase(value)) ? Optional.empty()
                        : Optional.of("'" + value + "' is not allowed; " + what);
            case "integer": {
                if (service == Service.RDS && RDS_FORMULA.matcher(value).matches()) {
                    return Optional.empty();
                }
                var plain = INTEGER.matcher(value);
                if (plain.matches()) {
                    return inRange(new java.math.BigDecimal(value), s, value, what);
                }
                var withUnit = INTEGER_WITH_UNIT.matcher(value);
                if (withUnit.matches() && unitFits(s.unit, withUnit.group(2))) {
                    return Optional.empty();
                }
                return Optional.of("'" + value + "' is not an integer; " + what);
            }
            case "real":
                return REAL.matcher(value).matches() ? inRange(new java.math.BigDecimal(value), s, value, what)
                        : Optional.of("'" + value + "' is not a number; " + what);
            default:
                return Optional.empty(); // string: any text without control characters (checked above)
        }
    }

    private static boolean unitFits(String settingUnit, String valueUnit) {
        boolean memory = Set.of("B", "kB", "MB", "GB", "TB").contains(valueUnit);
        return memory ? MEMORY_UNITS.contains(settingUnit) : TIME_UNITS.contains(settingUnit);
    }

    private static Optional<String> inRange(java.math.BigDecimal n, Setting s, String value, String what) {
        if (!s.min.isEmpty() && n.compareTo(new java.math.BigDecimal(s.min)) < 0
                || !s.max.isEmpty() && n.compareTo(new java.math.BigDecimal(s.max)) > 0) {
            return Optional.of("'" + value + "' is out of range; " + what);
        }
        return Optional.empty();
    }

    private static String describe(Setting s) {
        return switch (s.type) {
            case "bool" -> "a boolean (on, off, true, false, 1, 0)";
            case "enum" -> "one of " + String.join(", ", s.values);
            case "integer" -> "an integer from " + s.min + " to " + s.max + (s.unit.isEmpty() ? "" : " (unit " + s.unit
                    + (MEMORY_UNITS.contains(s.unit) || TIME_UNITS.contains(s.unit) ? ", or a number with a unit such as "
                    + (MEMORY_UNITS.contains(s.unit) ? "64MB" : "5s") : "") + ")");
            case "real" -> "a number from " + s.min + " to " + s.max;
            default -> "text";
        } + (POSTGRESQL_15.containsKey(s.name) ? " (PostgreSQL 15 pg_settings)" : "");
    }
}
