package io.grambot.core.internal.trigger;

/**
 * How the subscription of one trigger service stands.
 *
 * @param instanceId the instance that offers the trigger
 * @param pluginId its plugin
 * @param trigger the trigger's name ({@code ?} until it is known)
 * @param state {@code SUBSCRIBING}, {@code SUBSCRIBED}, {@code FAILED} or {@code CLOSED}
 * @param reason why it failed, or empty
 * @param fired how many events it fired that were accepted
 */
public record TriggerState(String instanceId, String pluginId, String trigger, String state, String reason,
        long fired) {}
