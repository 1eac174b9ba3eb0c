/**
 * Testing Grambot plugins in a running framework: {@link io.grambot.testkit.Grambot} makes instances from settings
 * and waits until they are active, {@link io.grambot.testkit.TestChat} drives a bot through an in-memory connector,
 * {@link io.grambot.testkit.ScriptedModel} answers from a script and records what it was asked, and
 * {@link io.grambot.testkit.GrambotExtension} hands a test its {@code Grambot} and cleans up after it.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.grambot.testkit;
