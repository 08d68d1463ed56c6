package dev.dataplatform.automation;

import dev.dataplatform.stackgres.TenantRules;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Adds a client to a stack file's {@code data-platform:tenants.clients} list as text, so the file
 * keeps its comments and layout (a YAML round trip would drop them). The entry is checked by the
 * same rules as the config parser; the caller then validates the whole stack with the offline plan.
 */
public final class TenantOnboarding {
    static final Pattern TENANTS = Pattern.compile("^(\\s*)data-platform:tenants:\\s*(#.*)?$");
    static final Pattern CLIENTS = Pattern.compile("^(\\s*)clients:\\s*(.*)$");
    /** An inline empty list after {@code clients:}, with an optional comment. */
    static final Pattern EMPTY_LIST = Pattern.compile("^\\[\\s*]\\s*(#.*)?$");
    static final Pattern ITEM_NAME = Pattern.compile("^\\s*-\\s*(\\{\\s*)?name:\\s*([^,}\\s#]+).*$");

    /** A new client: its name and, optionally, its application namespace and extensions. */
    public record Client(String name, String appNamespace, List<String> extensions) {
        public Client {
            TenantRules.clientName(name).ifPresent(problem -> {
                throw new PlatformException(PlatformException.Kind.INVALID, "client name " + problem);
            });
            if (appNamespace != null) {
                TenantRules.namespace(appNamespace).ifPresent(problem -> {
                    throw new PlatformException(PlatformException.Kind.INVALID, "appNamespace " + problem);
                });
            }
            extensions = List.copyOf(extensions == null ? List.of() : extensions);
            extensions.forEach(e -> TenantRules.extension(e).ifPresent(problem -> {
                throw new PlatformException(PlatformException.Kind.INVALID, "extension " + problem);
            }));
        }
    }

    private TenantOnboarding() {
    }

    /**
     * The {@code clients:} line under the tenants block and its indent. The list must be written one entry per line;
     * with {@code emptyAsBlock}, {@code clients: []} (a platform stack whose clients live in its shards) is rewritten
     * in {@code lines} as an empty block list the caller can append to.
     */
    private static int[] clientsList(List<String> lines, int tenants, int tenantsIndent, int end, String file, String verb,
                                     boolean emptyAsBlock) {
        for (int i = tenants + 1; i < end; i++) {
            var m = CLIENTS.matcher(lines.get(i));
            if (m.matches() && m.group(1).length() > tenantsIndent) {
                var empty = EMPTY_LIST.matcher(m.group(2));
                if (emptyAsBlock && empty.matches()) {
                    lines.set(i, m.group(1) + "clients:" + (empty.group(1) == null ? "" : " " + empty.group(1)));
                } else if (!m.group(2).isBlank() && !m.group(2).startsWith("#")) {
                    throw new PlatformException(PlatformException.Kind.INVALID, file + ": data-platform:tenants.clients is "
                            + "written inline; write one entry per line ('- name: ...') to " + verb + " clients");
                }
                return new int[]{i, m.group(1).length()};
            }
        }
        throw new PlatformException(PlatformException.Kind.INVALID, file + ": data-platform:tenants has no clients list");
    }

    /** The line of {@code data-platform:tenants:} and its indent, or {-1, 0} when the file has none. */
    private static int[] tenantsBlock(List<String> lines) {
        for (int i = 0; i < lines.size(); i++) {
            var m = TENANTS.matcher(lines.get(i));
            if (m.matches()) {
                return new int[]{i, m.group(1).length()};
            }
        }
        return new int[]{-1, 0};
    }

    /** The stack file's text with {@code client} appended to the clients list. */
    public static String addClient(String yaml, String file, Client client) {
        var lines = new ArrayList<>(List.of(yaml.split("\n", -1)));
        var block = tenantsBlock(lines);
        int tenants = block[0];
        int tenantsIndent = block[1];
        if (tenants < 0) {
            throw new PlatformException(PlatformException.Kind.INVALID, file + ": has no data-platform:tenants; add the block "
                    + "(aws, backups, clients) once by hand (see docs/tenants.md), then onboard clients");
        }
        int end = blockEnd(lines, tenants, tenantsIndent);
        var list = clientsList(lines, tenants, tenantsIndent, end, file, "onboard", true);
        int clients = list[0];
        int clientsIndent = list[1];
        int listEnd = blockEnd(lines, clients, clientsIndent);
        String itemIndent = " ".repeat(clientsIndent + 2);
        for (int i = clients + 1; i < listEnd; i++) {
            var m = ITEM_NAME.matcher(lines.get(i));
            if (m.matches()) {
                itemIndent = lines.get(i).substring(0, lines.get(i).indexOf('-'));
                if (m.group(2).replace("\"", "").replace("'", "").equals(client.name())) {
                    throw new PlatformException(PlatformException.Kind.INVALID, file + ": client '" + client.name()
                            + "' is already in data-platform:tenants.clients");
                }
            }
        }
        var entry = new ArrayList<String>();
        entry.add(itemIndent + "- name: " + client.name());
        String fieldIndent = itemIndent + "  ";
        if (client.appNamespace() != null) {
            entry.add(fieldIndent + "appNamespace: " + client.appNamespace());
        }
        if (!client.extensions().isEmpty()) {
            entry.add(fieldIndent + "extensions: [" + String.join(", ", client.extensions()) + "]");
        }
        // After the list's last entry line: blank lines and comments that introduce what follows stay below.
        int insert = listEnd;
        while (insert - 1 > clients && (lines.get(insert - 1).isBlank() || (lines.get(insert - 1).strip().startsWith("#")
                && indent(lines.get(insert - 1)) < itemIndent.length() + 2))) {
            insert--;
        }
        lines.addAll(insert, entry);
        return String.join("\n", lines);
    }

    /**
     * The stack file's text without client {@code name}'s entry: its lines from {@code - name: <name>} up to the next
     * entry or the end of the list (comments introducing the next entry stay). Everything else is kept as it is.
     */
    public static String removeClient(String yaml, String file, String name) {
        var lines = new ArrayList<>(List.of(yaml.split("\n", -1)));
        var block = tenantsBlock(lines);
        int tenants = block[0];
        int tenantsIndent = block[1];
        if (tenants < 0) {
            throw new PlatformException(PlatformException.Kind.INVALID, file + ": has no data-platform:tenants");
        }
        int end = blockEnd(lines, tenants, tenantsIndent);
        var list = clientsList(lines, tenants, tenantsIndent, end, file, "remove", false);
        int clients = list[0];
        int clientsIndent = list[1];
        int listEnd = blockEnd(lines, clients, clientsIndent);
        var items = new ArrayList<Integer>();
        int start = -1;
        for (int i = clients + 1; i < listEnd; i++) {
            if (lines.get(i).stripLeading().startsWith("- ")) {
                items.add(i);
                var m = ITEM_NAME.matcher(lines.get(i));
                if (m.matches() && m.group(2).replace("\"", "").replace("'", "").equals(name)) {
                    start = i;
                }
            }
        }
        if (start < 0) {
            throw new PlatformException(PlatformException.Kind.INVALID, file + ": client '" + name
                    + "' is not in data-platform:tenants.clients");
        }
        int itemIndent = indent(lines.get(start));
        int stop = listEnd;
        for (int i = start + 1; i < listEnd; i++) {
            String line = lines.get(i);
            if (!line.isBlank() && !line.strip().startsWith("#") && indent(line) <= itemIndent) {
                stop = i;
                break;
            }
        }
        // Blank lines and comments just above the next entry (or what follows the list) belong to it.
        while (stop - 1 > start && (lines.get(stop - 1).isBlank() || lines.get(stop - 1).strip().startsWith("#"))) {
            stop--;
        }
        lines.subList(start, stop).clear();
        return String.join("\n", lines);
    }

    private static int indent(String line) {
        return line.length() - line.stripLeading().length();
    }

    /** The first line after {@code start} that is indented no deeper than {@code indent} (comments and blanks belong to the block). */
    private static int blockEnd(List<String> lines, int start, int indent) {
        for (int i = start + 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || line.strip().startsWith("#")) {
                continue;
            }
            int own = line.length() - line.stripLeading().length();
            boolean listItemAtSameIndent = own == indent && line.stripLeading().startsWith("- ");
            if (own < indent || (own == indent && !listItemAtSameIndent)) {
                return i;
            }
        }
        return lines.size();
    }
}
