package io.grambot.core.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** The {@code etc/} files FileInstall turns into configurations, rewritten by the core where it must. */
final class EtcFiles {

    private EtcFiles() {}

    /**
     * Removes the lines of these secret keys from the file FileInstall read a configuration from (its
     * {@code felix.fileinstall.filename} property), atomically; with {@code marker}, each becomes
     * {@code key=********} instead (the file's only settings were secrets). Returns whether the file had such a
     * line and was rewritten; {@code false} if there is no such file, or it holds none of them (the secret came
     * from somewhere else: the console, ConfigAdmin), and the caller updates the configuration itself.
     */
    static boolean removeSecrets(Object fileName, Collection<String> secretKeys, boolean marker) {
        if (!(fileName instanceof String name) || secretKeys.isEmpty()) {
            return false;
        }
        try {
            Path file = name.startsWith("file:") ? Path.of(URI.create(name)) : Path.of(name);
            if (!Files.isRegularFile(file)) {
                return false;
            }
            boolean typed = file.getFileName().toString().endsWith(".config"); // Felix's format: key="value"
            List<String> kept = new ArrayList<>();
            boolean changed = false;
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String key = keyOf(line);
                if (key != null && secretKeys.contains(key) && marker && isMarker(line, key)) {
                    kept.add(line); // already says "stored"
                } else if (key != null && secretKeys.contains(key)) {
                    changed = true;
                    if (marker) {
                        kept.add(key + (typed ? "=\"" + PluginInstanceManager.MASK + "\"" : "=" + PluginInstanceManager.MASK));
                    }
                } else {
                    kept.add(line);
                }
            }
            if (!changed) {
                return false;
            }
            AtomicFiles.write(file, (String.join("\n", kept) + "\n").getBytes(StandardCharsets.UTF_8), false);
            return true;
        } catch (IOException | RuntimeException e) {
            return false; // the configuration is updated instead
        }
    }

    private static boolean isMarker(String line, String key) {
        String value = line.strip().substring(key.length()).strip();
        value = value.isEmpty() ? value : value.substring(1).strip(); // the separator
        return value.equals(PluginInstanceManager.MASK) || value.equals("\"" + PluginInstanceManager.MASK + "\"");
    }

    /** The key of a {@code key=value} (or {@code key:value}, {@code key value}) line; {@code null} for others. */
    static String keyOf(String line) {
        String text = line.strip();
        if (text.isEmpty() || text.startsWith("#") || text.startsWith("!")) {
            return null;
        }
        int end = 0;
        while (end < text.length() && "=: \t".indexOf(text.charAt(end)) < 0) {
            end++;
        }
        return end == 0 ? null : text.substring(0, end);
    }
}
