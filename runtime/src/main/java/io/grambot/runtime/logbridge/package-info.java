/**
 * The distribution's bridge from the OSGi Log Service to SLF4J, so that OSGi loggers (Grambot's components, Felix's
 * bundles, framework events) print through logback and {@code conf/logback.xml}. Built as its own bundle
 * ({@code io.grambot.runtime.logbridge}); the launcher does not use it.
 */
package io.grambot.runtime.logbridge;
