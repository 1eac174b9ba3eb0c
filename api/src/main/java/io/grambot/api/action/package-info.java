/**
 * Actions, triggers and context enrichers (the schema-driven face of a plugin): a plugin publishes {@link Action},
 * {@link Trigger} and {@link ContextEnricher} services; the core invokes actions through the {@link ActionInvoker}
 * (validation, retries, timeout, audit), subscribes triggers, and asks enrichers before inference.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.grambot.api.action;
