package io.grambot.api.action;

import java.time.Duration;
import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;

import io.grambot.api.PluginException;

/**
 * A named operation a plugin instance offers (Bacon's action): an input JSON Schema, an output, a retry policy and a
 * timeout. Published as a service with the instance's {@code grambot.instance.id}; addressed as instance + name.
 * Callers never call {@link #execute} themselves: they go through the {@link ActionInvoker}, which validates the
 * payload, retries, enforces the timeout and writes the audit record.
 */
@ConsumerType
public interface Action {

    /** The name, unique among the instance's actions: letters, digits, {@code _} and {@code -}. */
    String name();

    /** What the action does, written for people and models. */
    String description();

    /** The JSON Schema of the payload, as JSON-like maps; the invoker validates every payload against it. */
    Map<String, Object> inputSchema();

    /** The JSON Schema of the output, for flow editors and documentation; empty if it is not declared. */
    default Map<String, Object> outputSchema() {
        return Map.of();
    }

    /** How failed attempts are repeated; {@link ActionRetry#NONE} by default. */
    default ActionRetry retry() {
        return ActionRetry.NONE;
    }

    /** The most one attempt may take; the invoker gives up on the attempt after it. */
    default Duration timeout() {
        return Duration.ofSeconds(30);
    }

    /** Whether bots may offer the action to their model as a tool (when the bot's {@code actions} setting names it). */
    default boolean offeredAsTool() {
        return true;
    }

    /**
     * Runs one attempt. A {@link PluginException} that says {@link PluginException#retryable()} is retried by the
     * policy (honouring {@link PluginException#retryAfter()}); any other exception ends the invocation.
     *
     * @param payload the payload, already validated against {@link #inputSchema()}
     */
    ActionResult execute(Map<String, Object> payload, ActionContext context) throws PluginException;
}
