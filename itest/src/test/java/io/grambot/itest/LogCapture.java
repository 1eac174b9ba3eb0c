package io.grambot.itest;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import java.util.Map;

import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.admin.LoggerAdmin;
import org.osgi.service.log.admin.LoggerContext;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;

/**
 * Collects every log entry of the framework (message, and the stack trace of any exception) while open, with every
 * logger at DEBUG so that nothing escapes the scan, except ConfigAdmin's: its DEBUG trace prints every property it
 * is given, before the core moves secrets out (the distribution keeps {@code org.apache.felix} at WARN).
 */
final class LogCapture implements LogListener, AutoCloseable {

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final BundleContext context;
    private final ServiceReference<LogReaderService> reference;
    private final LogReaderService reader;
    private final LoggerContext root;
    private final Map<String, LogLevel> levels;
    private final LoggerContext configAdmin;
    private final Map<String, LogLevel> configAdminLevels;

    LogCapture(BundleContext context) {
        this.context = context;
        this.reference = context.getServiceReference(LogReaderService.class);
        this.reader = context.getService(reference);
        LoggerAdmin admin = context.getService(context.getServiceReference(LoggerAdmin.class));
        this.root = admin.getLoggerContext(null);
        this.levels = root.getLogLevels();
        root.setLogLevels(Map.of(org.osgi.service.log.Logger.ROOT_LOGGER_NAME, LogLevel.DEBUG));
        this.configAdmin = admin.getLoggerContext("org.apache.felix.configadmin");
        this.configAdminLevels = configAdmin.getLogLevels();
        configAdmin.setLogLevels(Map.of(org.osgi.service.log.Logger.ROOT_LOGGER_NAME, LogLevel.INFO));
        reader.addLogListener(this);
    }

    @Override
    public void logged(LogEntry entry) {
        StringBuilder line = new StringBuilder().append(entry.getLogLevel()).append(' ')
                .append(entry.getBundle() == null ? "-" : entry.getBundle().getSymbolicName()).append(' ')
                .append(entry.getMessage());
        if (entry.getException() != null) {
            StringWriter trace = new StringWriter();
            entry.getException().printStackTrace(new PrintWriter(trace));
            line.append('\n').append(trace);
        }
        lines.add(line.toString());
    }

    /** Everything logged so far, one entry per element. */
    List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void close() {
        reader.removeLogListener(this);
        root.setLogLevels(levels);
        configAdmin.setLogLevels(configAdminLevels);
        context.ungetService(reference);
    }
}
