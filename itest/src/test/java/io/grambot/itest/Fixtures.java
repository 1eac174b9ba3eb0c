package io.grambot.itest;

import java.nio.file.Path;

import org.osgi.framework.BundleContext;

/** Where the test run keeps its directories and the plugin jars it deploys (see itest.bndrun). */
final class Fixtures {

    static final String ECHO_BSN = "io.grambot.plugin.echo";

    private Fixtures() {}

    static Path deployDir(BundleContext context) {
        return Path.of(context.getProperty("grambot.itest.deploy"));
    }

    static Path etcDir(BundleContext context) {
        return Path.of(context.getProperty("grambot.itest.etc"));
    }

    static Path dataDir(BundleContext context) {
        return Path.of(context.getProperty("grambot.data"));
    }

    static Path isolatedJar(BundleContext context) {
        return Path.of(context.getProperty("grambot.itest.fixtures"), "io.grambot.itest.fixture.isolated.jar");
    }

    static Path triggerJar(BundleContext context) {
        return Path.of(context.getProperty("grambot.itest.fixtures"), "io.grambot.itest.fixture.trigger.jar");
    }

    /** The plugin whose event handler notes the version of its bundle (see HotRedeployUnderLoadTest). */
    static Path versionedJar(BundleContext context) {
        return Path.of(context.getProperty("grambot.itest.fixtures"), "io.grambot.itest.fixture.versioned.jar");
    }

    /** The target directory of the plugin project generated from the archetype (see pom.xml). */
    static Path generatedPluginTarget(BundleContext context) {
        return Path.of(context.getProperty("grambot.itest.generated"));
    }

    static Path echoJar(BundleContext context) {
        return Path.of(context.getProperty("grambot.itest.fixtures"), "io.grambot.plugin.echo.jar");
    }

    /** A bad plugin fixture jar: {@code throws}, {@code hangs}, {@code unresolvable}, {@code duplicate}, {@code spins}. */
    static Path badJar(BundleContext context, String kind) {
        return Path.of(context.getProperty("grambot.itest.fixtures"), "io.grambot.itest.fixture.bad" + kind + ".jar");
    }
}
