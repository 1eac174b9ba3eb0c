package io.grambot.api.runtime;

import java.time.Instant;
import java.util.Objects;

import io.grambot.api.PluginEvent;

/**
 * A handler call that failed or timed out; the event went on to its other handlers all the same.
 *
 * @param event the event being handled
 * @param handler the class name of the handler service
 * @param message what the handler threw, or a description of the timeout
 * @param timedOut whether the handler did not return within the handler timeout (rather than throwing)
 * @param at when the failure was recorded
 */
public record EventFailure(PluginEvent event, String handler, String message, boolean timedOut, Instant at) {

    public EventFailure {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(at, "at");
    }
}
