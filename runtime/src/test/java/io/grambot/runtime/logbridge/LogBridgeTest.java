package io.grambot.runtime.logbridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

class LogBridgeTest {

    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final ListAppender<ILoggingEvent> printed = new ListAppender<>();

    @BeforeEach
    void capture() {
        printed.start();
        root.addAppender(printed);
    }

    @AfterEach
    void release() {
        root.detachAppender(printed);
    }

    @Test
    void replaysTheHistoryOnceThenPrintsLiveEntriesInOrder() {
        Entry a = entry(1, "io.grambot.core.A", LogLevel.INFO, "first");
        Entry b = entry(2, "io.grambot.core.A", LogLevel.WARN, "second");
        Entry c = entry(3, "io.grambot.core.A", LogLevel.ERROR, "third");
        Entry d = entry(4, "io.grambot.core.A", LogLevel.INFO, "fourth");
        FakeReader reader = new FakeReader(List.of(b, a));
        // delivered while the bridge is still replaying: b again (logged before the history was read), and c
        reader.duringRegistration = listener -> {
            listener.logged(b);
            listener.logged(c);
        };

        LogBridge bridge = new LogBridge(reader);
        reader.listener.logged(b); // a late live delivery of an entry already replayed
        reader.listener.logged(d);

        assertThat(printed.list).extracting(ILoggingEvent::getFormattedMessage)
                .containsExactly("first", "second", "third", "fourth");
        bridge.deactivate();
        assertThat(reader.listener).isNull();
    }

    @Test
    void keepsLevelNameMessageAndException() {
        IllegalStateException failure = new IllegalStateException("boom");
        Entry entry = new Entry(7, "io.grambot.core.B", LogLevel.ERROR, "literal {} kept", failure, null, null);

        LogBridge.forward(entry);

        assertThat(printed.list).extracting(ILoggingEvent::getLoggerName, ILoggingEvent::getLevel,
                ILoggingEvent::getFormattedMessage).containsExactly(tuple("io.grambot.core.B", Level.ERROR,
                        "literal {} kept"));
        assertThat(printed.list.get(0).getThrowableProxy().getMessage()).isEqualTo("boom");
    }

    @Test
    void frameworkEventsAndLegacyEntriesAreNamedAfterTheirBundle() {
        Bundle bundle = bundle("org.apache.felix.configadmin");

        assertThat(LogBridge.loggerName(new Entry(1, "LogService", LogLevel.INFO, "m", null, bundle, null)))
                .isEqualTo("LogService.org.apache.felix.configadmin");
        assertThat(LogBridge.loggerName(new Entry(1, "Events.Bundle", LogLevel.INFO, "m", null, bundle, null)))
                .isEqualTo("Events.Bundle.org.apache.felix.configadmin");
        assertThat(LogBridge.loggerName(new Entry(1, "io.grambot.core.C", LogLevel.INFO, "m", null, bundle, null)))
                .isEqualTo("io.grambot.core.C");
    }

    @Test
    void levelsBelowTheConfiguredOneAreNotPrinted() {
        Logger quiet = (Logger) LoggerFactory.getLogger("io.grambot.quiet");
        quiet.setLevel(Level.WARN);
        try {
            LogBridge.forward(entry(1, "io.grambot.quiet.D", LogLevel.INFO, "dropped"));
            LogBridge.forward(entry(2, "io.grambot.quiet.D", LogLevel.WARN, "kept"));
        } finally {
            quiet.setLevel(null);
        }

        assertThat(printed.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly("kept");
    }

    private static Entry entry(long sequence, String logger, LogLevel level, String message) {
        return new Entry(sequence, logger, level, message, null, null, null);
    }

    private static Bundle bundle(String symbolicName) {
        return (Bundle) Proxy.newProxyInstance(LogBridgeTest.class.getClassLoader(), new Class<?>[] { Bundle.class },
                (proxy, method, args) -> method.getName().equals("getSymbolicName") ? symbolicName : null);
    }

    record Entry(long getSequence, String getLoggerName, LogLevel getLogLevel, String getMessage,
            Throwable getException, Bundle getBundle, ServiceReference<?> getServiceReference) implements LogEntry {

        @Override
        @SuppressWarnings("deprecation")
        public int getLevel() {
            return getLogLevel.ordinal();
        }

        @Override
        public long getTime() {
            return 0;
        }

        @Override
        public String getThreadInfo() {
            return "test";
        }

        @Override
        public StackTraceElement getLocation() {
            return null;
        }
    }

    static final class FakeReader implements LogReaderService {
        private final List<LogEntry> history;
        LogListener listener;
        java.util.function.Consumer<LogListener> duringRegistration = listener -> {};

        FakeReader(List<LogEntry> newestFirst) {
            this.history = new ArrayList<>(newestFirst);
        }

        @Override
        public void addLogListener(LogListener added) {
            listener = added;
            duringRegistration.accept(added);
        }

        @Override
        public void removeLogListener(LogListener removed) {
            if (listener == removed) {
                listener = null;
            }
        }

        @Override
        public Enumeration<LogEntry> getLog() {
            return Collections.enumeration(history);
        }
    }
}
