/** The management view of a running Grambot: plugins, instances and their state, the event queue. For the console, the shell and health checks; plugins do not need it. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.3.0")
package io.grambot.api.runtime;
