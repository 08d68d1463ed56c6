package dev.dataplatform.config;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

import java.io.Reader;
import java.math.BigInteger;
import java.util.regex.Pattern;

/**
 * A YAML reader with the YAML 1.2 core schema, the one the Pulumi CLI's YAML library follows, instead
 * of SnakeYAML's YAML 1.1 defaults: {@code 12:30} stays the string "12:30" (not sexagesimal 750),
 * {@code 017} is 17 (not octal 15), {@code yes}/{@code on} are strings, timestamps are strings, and
 * integers too large for a long stay exact (a range check refuses them instead of wrapping). Input
 * size, nesting and aliases are bounded so a hostile file cannot exhaust memory or the stack.
 */
final class CoreSchemaYaml {
    /** The largest stack file read: a 2000-tenant stack is about 0.2 MiB. */
    static final int MAX_CODE_POINTS = 2 * 1024 * 1024;
    static final int MAX_NESTING = 40;
    static final int MAX_ALIASES = 50;

    /**
     * The text as a Reader whose reads never end between the two halves of a surrogate pair. SnakeYAML 2.3's
     * StreamReader fills a 1024-char window and, when a read ends on a high surrogate, reads one more char past the
     * window's end: an IndexOutOfBoundsException for any file with an emoji (or other non-BMP character) at such an
     * offset. Reads here stop one char early instead, so that path is never taken.
     */
    static Reader reader(String text) {
        return new Reader() {
            private int position;

            @Override
            public int read(char[] buffer, int offset, int length) {
                if (length == 0) {
                    return 0;
                }
                if (position >= text.length()) {
                    return -1;
                }
                int n = Math.min(length, text.length() - position);
                if (n > 1 && Character.isHighSurrogate(text.charAt(position + n - 1))) {
                    n--;
                }
                text.getChars(position, position + n, buffer, offset);
                position += n;
                return n;
            }

            @Override
            public void close() {
            }
        };
    }

    static final Pattern CORE_NULL = Pattern.compile("~|null|Null|NULL|");
    static final Pattern CORE_BOOL = Pattern.compile("true|True|TRUE|false|False|FALSE");
    static final Pattern CORE_INT = Pattern.compile("[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+");
    static final Pattern CORE_FLOAT = Pattern.compile(
            "[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)");

    private CoreSchemaYaml() {
    }

    static Yaml create() {
        var options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setAllowRecursiveKeys(false);
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setNestingDepthLimit(MAX_NESTING);
        options.setCodePointLimit(MAX_CODE_POINTS);
        return new Yaml(new Constructor(options), new Representer(new DumperOptions()), new DumperOptions(), options,
                new CoreResolver());
    }

    /** Implicit types of the YAML 1.2 core schema only (null, bool, int, float); everything else is a string. */
    static final class CoreResolver extends Resolver {
        @Override
        protected void addImplicitResolvers() {
            // Qualified: Resolver's own (YAML 1.1) patterns have the same simple names and would shadow these.
            addImplicitResolver(Tag.NULL, CoreSchemaYaml.CORE_NULL, "~nN\0", 16);
            addImplicitResolver(Tag.NULL, Resolver.EMPTY, null, 10);
            addImplicitResolver(Tag.BOOL, CoreSchemaYaml.CORE_BOOL, "tTfF", 8);
            addImplicitResolver(Tag.INT, CoreSchemaYaml.CORE_INT, "-+0123456789", 1000);
            addImplicitResolver(Tag.FLOAT, CoreSchemaYaml.CORE_FLOAT, "-+0123456789.", 1000);
        }
    }

    /** Integers and floats as the core schema reads them. */
    static final class Constructor extends SafeConstructor {
        Constructor(LoaderOptions options) {
            super(options);
            this.yamlConstructors.put(Tag.INT, new AbstractConstruct() {
                @Override
                public Object construct(Node node) {
                    return integer(((ScalarNode) node).getValue());
                }
            });
            this.yamlConstructors.put(Tag.FLOAT, new AbstractConstruct() {
                @Override
                public Object construct(Node node) {
                    return floating(((ScalarNode) node).getValue());
                }
            });
        }
    }

    /** A core-schema integer: decimal (leading zeros allowed), 0o octal or 0x hex; Long when it fits. */
    static Object integer(String text) {
        BigInteger value;
        if (text.startsWith("0o")) {
            value = new BigInteger(text.substring(2), 8);
        } else if (text.startsWith("0x")) {
            value = new BigInteger(text.substring(2), 16);
        } else {
            value = new BigInteger(text.startsWith("+") ? text.substring(1) : text);
        }
        return value.bitLength() < 64 ? (Object) value.longValue() : value;
    }

    static Object floating(String text) {
        String lower = text.toLowerCase(java.util.Locale.ROOT);
        if (lower.endsWith(".inf")) {
            return lower.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (lower.equals(".nan")) {
            return Double.NaN;
        }
        return Double.parseDouble(text);
    }
}
