package io.grambot.itest;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;

/** Collects every log entry of the framework (message, and the stack trace of any exception) while open. */
final class LogCapture implements LogListener, AutoCloseable {

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final BundleContext context;
    private final ServiceReference<LogReaderService> reference;
    private final LogReaderService reader;

    LogCapture(BundleContext context) {
        this.context = context;
        this.reference = context.getServiceReference(LogReaderService.class);
        this.reader = context.getService(reference);
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
        context.ungetService(reference);
    }
}
