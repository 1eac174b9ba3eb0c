/**
 * Flows: small graphs of {@code trigger}, {@code plugin_action}, {@code condition}, {@code send_message} and
 * {@code inference} nodes, stored as configuration (factory PID {@code grambot.flow}, the definition as JSON) and
 * run by the core's {@link FlowEngine}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.grambot.api.flow;
