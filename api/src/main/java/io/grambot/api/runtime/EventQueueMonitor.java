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
}
