/** The plugin model: a plugin instance's view of itself (settings, data directory, secrets, events), plugin events, connection tests. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package io.grambot.api;
