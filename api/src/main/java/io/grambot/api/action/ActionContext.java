package io.grambot.api.action;

import org.osgi.annotation.versioning.ProviderType;

/** What an attempt knows about its invocation. */
@ProviderType
public interface ActionContext {

    /** Who or what invoked the action, such as {@code flow:orders/run-17}, {@code bot:default} or {@code shell}. */
    String invokedBy();

    /** The attempt, from 1. */
    int attempt();

    /** Whether the invoker gave up on this attempt (timeout or shutdown); long work should check it. */
    boolean cancelled();
}
