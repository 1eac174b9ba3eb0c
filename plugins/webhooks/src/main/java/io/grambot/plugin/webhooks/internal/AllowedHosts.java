package io.grambot.plugin.webhooks.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The hosts the {@code http_request} action may call (its guard against server-side request forgery): exact host
 * names or IP addresses, {@code *.example.org} for every host below {@code example.org} (not {@code example.org}
 * itself), or {@code *} for every host, which must be asked for explicitly. Nothing is allowed by default.
 *
 * <p>Hosts are compared by name as the URL spells them; a name is not resolved, so an allowed name that resolves to an
 * internal address is called.
 */
final class AllowedHosts {

    /** A DNS name or an IPv4 address: labels of letters, digits and inner hyphens. */
    private static final Pattern NAME = Pattern.compile(
            "^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$");
    private static final Pattern IPV6 = Pattern.compile("^\\[[0-9a-f:.]+]$");

    static final AllowedHosts NONE = new AllowedHosts(List.of(), false);

    private final List<String> entries;
    private final boolean any;

    private AllowedHosts(List<String> entries, boolean any) {
        this.entries = entries;
        this.any = any;
    }

    /**
     * Reads the setting: entries separated by commas (or white space).
     *
     * @throws IllegalArgumentException naming the entry that is not a host, such as one with a scheme or a port
     */
    static AllowedHosts parse(String setting) {
        if (setting == null || setting.isBlank()) {
            return NONE;
        }
        Set<String> entries = new LinkedHashSet<>();
        boolean any = false;
        for (String raw : setting.split("[,\\s]+")) {
            String entry = raw.strip().toLowerCase(Locale.ROOT);
            if (entry.isEmpty()) {
                continue;
            }
            if (entry.equals("*")) {
                any = true;
                entries.add(entry);
                continue;
            }
            String host = entry.startsWith("*.") ? entry.substring(2) : entry;
            host = normalise(host);
            if (!NAME.matcher(host).matches() && !IPV6.matcher(host).matches()) {
                throw new IllegalArgumentException("setting 'allowedHosts' takes host names, IP addresses, "
                        + "'*.example.org' or '*', separated by commas (no scheme, port or path), found '" + raw.strip()
                        + "'");
            }
            entries.add(entry.startsWith("*.") ? "*." + host : host);
        }
        return entries.isEmpty() ? NONE : new AllowedHosts(List.copyOf(new ArrayList<>(entries)), any);
    }

    /** Whether nothing is allowed. */
    boolean isEmpty() {
        return entries.isEmpty();
    }

    /** Whether {@code *} allows every host. */
    boolean any() {
        return any;
    }

    /** Whether a URL's host ({@code URI.getHost()}, IPv6 in brackets) may be called. */
    boolean allows(String host) {
        if (host == null || host.isEmpty()) {
            return false;
        }
        if (any) {
            return true;
        }
        String name = normalise(host.toLowerCase(Locale.ROOT));
        for (String entry : entries) {
            if (entry.startsWith("*.") ? name.endsWith(entry.substring(1)) : name.equals(entry)) {
                return true;
            }
        }
        return false;
    }

    /** The entries as the setting lists them, normalised. */
    @Override
    public String toString() {
        return String.join(", ", entries);
    }

    /** Without a final dot ({@code example.org.}); an IPv6 address in brackets. */
    private static String normalise(String host) {
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        if (name.indexOf(':') >= 0 && !name.startsWith("[")) {
            name = "[" + name + "]";
        }
        return name;
    }
}
