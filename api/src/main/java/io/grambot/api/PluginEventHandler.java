package io.grambot.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard service that receives plugin events of the types named in its {@value PluginConstants#EVENT_TYPE}
 * service property. Events of one instance arrive in emission order; delivery is at least once, so handlers
 * de-duplicate by {@link PluginEvent#id()} where it matters.
 */
@ConsumerType
@FunctionalInterface
public interface PluginEventHandler {

    /** Handles one event; an exception is recorded with the event and does not stop the queue. */
    void handle(PluginEvent event) throws Exception;
}
