/** Chat-completion models: messages with text and image parts, tool definitions in, text and tool calls out. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.grambot.api.inference;
