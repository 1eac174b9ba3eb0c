/** Tools a model may call: a name, a description, a JSON Schema for the arguments, and execution. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.grambot.api.tool;
