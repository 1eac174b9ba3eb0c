package io.grambot.plugin.webhooks.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A log that keeps its lines as {@code LEVEL message}. */
final class RecordingLog implements Log {

    final List<String> lines = new CopyOnWriteArrayList<>();

    @Override
    public void debug(String message) {
        lines.add("DEBUG " + message);
    }

    @Override
    public void info(String message) {
        lines.add("INFO " + message);
    }

    @Override
    public void warn(String message) {
        lines.add("WARN " + message);
    }

    @Override
    public void error(String message) {
        lines.add("ERROR " + message);
    }

    /** The messages logged at this level, in order. */
    List<String> at(String level) {
        return lines.stream().filter(l -> l.startsWith(level + " ")).map(l -> l.substring(level.length() + 1))
                .toList();
    }
}
