/** Image generators: a prompt and options in, images out. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.grambot.api.image;
