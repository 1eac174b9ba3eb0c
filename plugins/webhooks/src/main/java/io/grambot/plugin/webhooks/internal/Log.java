package io.grambot.plugin.webhooks.internal;

import java.util.Collection;
import java.util.function.Supplier;

import org.osgi.service.log.Logger;

import io.grambot.http.HttpLog;
import io.grambot.http.Redactor;

/** Where the plugin logs; every line passes through {@link #redacting} first, so no secret reaches a log. */
interface Log {

    void debug(String message);

    void info(String message);

    void warn(String message);

    void error(String message);

    /** The OSGi logger (messages as the single argument, so braces in them are not placeholders). */
    static Log of(Logger logger) {
        return new Log() {
            @Override
            public void debug(String message) {
                logger.debug("{}", message);
            }

            @Override
            public void info(String message) {
                logger.info("{}", message);
            }

            @Override
            public void warn(String message) {
                logger.warn("{}", message);
            }

            @Override
            public void error(String message) {
                logger.error("{}", message);
            }
        };
    }

    /** This log with the current secret values masked in every line (read per line: a secret may change). */
    default Log redacting(Supplier<Collection<String>> secrets) {
        Log delegate = this;
        return new Log() {
            @Override
            public void debug(String message) {
                delegate.debug(Redactor.of(secrets.get()).redact(message));
            }

            @Override
            public void info(String message) {
                delegate.info(Redactor.of(secrets.get()).redact(message));
            }

            @Override
            public void warn(String message) {
                delegate.warn(Redactor.of(secrets.get()).redact(message));
            }

            @Override
            public void error(String message) {
                delegate.error(Redactor.of(secrets.get()).redact(message));
            }
        };
    }

    /** The HTTP helper's log lines (requests at debug, failed attempts at warn) into this log. */
    default HttpLog http() {
        Log delegate = this;
        return new HttpLog() {
            @Override
            public void debug(String message) {
                delegate.debug(message);
            }

            @Override
            public void warn(String message) {
                delegate.warn(message);
            }
        };
    }
}
