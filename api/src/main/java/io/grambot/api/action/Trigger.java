package io.grambot.api.action;

import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;

import io.grambot.api.PluginException;

/**
 * A source of inbound events a plugin instance offers (Bacon's trigger): a webhook, a poll, an event of its own.
 * Published as a service with the instance's {@code grambot.instance.id}. The core subscribes when it finds the
 * service and closes the subscription when the service or the core goes, even when the plugin throws; each event
 * the plugin fires becomes a {@value #EVENT_TYPE} plugin event, which flows start from.
 */
@ConsumerType
public interface Trigger {

    /** The plugin event type of a fired trigger; its payload is {@code {"trigger": name, "data": {...}}}. */
    String EVENT_TYPE = "trigger.fired";

    /** The name, unique among the instance's triggers. */
    String name();

    /** What fires it, written for people. */
    String description();

    /**
     * Starts delivering events to {@code sink} until the returned subscription is closed.
     *
     * @throws PluginException if it cannot start; the core reports it and does not retry until the service changes
     */
    Subscription subscribe(Sink sink) throws PluginException;

    /** Where a trigger delivers its events. */
    @org.osgi.annotation.versioning.ProviderType
    interface Sink {
        /**
         * Queues an event with this data (JSON-like); returns once it is accepted (journaled when the queue is).
         *
         * @throws PluginException if the queue refuses it (full, or the core is stopping)
         */
        void fire(Map<String, Object> data) throws PluginException;
    }

    /** A running subscription. */
    @FunctionalInterface
    interface Subscription extends AutoCloseable {
        /** Stops delivering events; called once. */
        @Override
        void close() throws Exception;
    }
}
