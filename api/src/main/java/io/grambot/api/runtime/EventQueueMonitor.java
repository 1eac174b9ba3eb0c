package io.grambot.api.runtime;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

import io.grambot.api.PluginEvent;

/** Read-only view of the plugin event queue, for the console, the shell and health checks. */
@ProviderType
public interface EventQueueMonitor {

    /** Counters and settings of the queue at this moment. */
    EventQueueStatus status();

    /** The most recently accepted events, oldest first; a bounded window (the last 100). */
    List<PluginEvent> recentEvents();

    /** The most recent handler failures and timeouts, oldest first; a bounded window (the last 100). */
    List<EventFailure> failures();

    /**
     * Whether the {@link io.grambot.api.PluginEventHandler} service with this {@code service.id} is bound: events
     * of its types emitted from now on are handed to it. A handler service is visible a moment before the queue
     * binds it (SCR reports a reference bound before its bind method has run), and an event emitted in between
     * finds no handler.
     *
     * @since 1.3
     */
    boolean isBound(long handlerServiceId);
}
