package io.grambot.http;

/**
 * Where {@link JsonHttpClient} reports requests and retries. Every message is redacted before it gets here; a plugin
 * adapts its own logger (for example the OSGi {@code Logger}: {@code log.debug("{}", message)}).
 */
public interface HttpLog {

    /** Logs nothing. */
    HttpLog NONE = new HttpLog() {
        @Override
        public void debug(String message) {}

        @Override
        public void warn(String message) {}
    };

    /** A request and its outcome. */
    void debug(String message);

    /** A failed attempt that is retried. */
    void warn(String message);
}
