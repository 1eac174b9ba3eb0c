/** Chat channels: send to a conversation, validate an outgoing payload; incoming messages arrive as plugin events. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.grambot.api.connector;
