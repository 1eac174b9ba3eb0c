package io.grambot.runtime.logbridge;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.osgi.framework.Bundle;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Prints every OSGi Log Service entry through SLF4J under the entry's logger name, so {@code conf/logback.xml}
 * decides what is shown. It takes the place of org.apache.felix.logback 1.0.6, whose logging events carry no
 * logback {@code LoggerContext}: logback 1.3.8 and later fail on such events in every appender (reported only to
 * logback's internal status), so every OSGi log entry was dropped.
 *
 * <p>The Log Service only passes entries at or above its level ({@code org.osgi.service.log.admin.loglevel} in
 * {@code conf/config.properties}); logback filters further. Entries logged before this component started (other
 * components may activate first) are replayed once from the Log Service's history.
 *
 * <p>Logger names follow the OSGi Log specification; for framework events and legacy {@code LogService} entries
 * the bundle's symbolic name is appended, as org.apache.felix.logback did ({@code Events.Bundle.org.example}), so
 * {@code logback.xml} can select them per bundle.
 */
@Component(immediate = true, service = {}) // a listener added to the Log Service, not a service of its own
public final class LogBridge implements LogListener {

    private static final Set<String> PER_BUNDLE = Set.of("Events.Bundle", "Events.Framework", "Events.Service",
            "LogService");

    private final LogReaderService reader;
    private final Object lock = new Object();
    /** Live entries that arrived before the history was replayed; null afterwards. Guarded by {@link #lock}. */
    private List<LogEntry> pending = new ArrayList<>();
    /** Sequence numbers of the replayed history, so a live delivery of the same entry is not printed twice. */
    private final Set<Long> replayed = new HashSet<>();

    @Activate
    public LogBridge(@Reference(name = "reader") LogReaderService reader) {
        this.reader = reader;
        reader.addLogListener(this);
        List<LogEntry> history = Collections.list(reader.getLog()); // newest first
        synchronized (lock) {
            for (int i = history.size() - 1; i >= 0; i--) {
                replayed.add(history.get(i).getSequence());
                forward(history.get(i));
            }
            for (LogEntry entry : pending) {
                if (!replayed.contains(entry.getSequence())) {
                    forward(entry);
                }
            }
            pending = null;
        }
    }

    @Deactivate
    void deactivate() {
        reader.removeLogListener(this);
    }

    @Override
    public void logged(LogEntry entry) {
        synchronized (lock) {
            if (pending != null) {
                pending.add(entry);
            } else if (!replayed.contains(entry.getSequence())) {
                forward(entry);
            }
        }
    }

    static void forward(LogEntry entry) {
        Logger logger = LoggerFactory.getLogger(loggerName(entry));
        Level level = level(entry.getLogLevel());
        if (!logger.isEnabledForLevel(level)) {
            return;
        }
        String message = entry.getMessage();
        if ("Events.Service".equals(entry.getLoggerName()) && entry.getServiceReference() != null) {
            message = message + " " + entry.getServiceReference();
        }
        // the OSGi Logger has already formatted the message: no arguments, so "{}" in it is printed as it is
        logger.atLevel(level).setMessage(message).setCause(entry.getException()).log();
    }

    static String loggerName(LogEntry entry) {
        String name = entry.getLoggerName();
        Bundle bundle = entry.getBundle();
        if (PER_BUNDLE.contains(name) && bundle != null && bundle.getSymbolicName() != null) {
            return name + "." + bundle.getSymbolicName();
        }
        return name;
    }

    static Level level(LogLevel level) {
        return switch (level) {
            case TRACE -> Level.TRACE;
            case DEBUG -> Level.DEBUG;
            case INFO -> Level.INFO;
            case WARN -> Level.WARN;
            case ERROR -> Level.ERROR;
            // audit entries "must always be logged"; WARN is what the default configuration prints for everyone
            case AUDIT -> Level.WARN;
        };
    }
}
