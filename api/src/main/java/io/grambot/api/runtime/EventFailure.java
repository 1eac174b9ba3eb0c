package io.grambot.api.runtime;

import java.time.Instant;
import java.util.Objects;

import io.grambot.api.PluginEvent;

/**
 * A handler call that failed or timed out (or the {@code handleAsync} stage it returned); the event went on to its
 * other handlers all the same.
 *
 * @param event the event being handled
 * @param handler the class name of the handler service
 * @param message what the handler threw (or its stage completed with), or a description of the timeout
 * @param timedOut whether the handler did not return within the handler timeout, or its stage did not complete
 *        within the completion timeout (rather than failing)
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
