package io.grambot.itest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.junit5.context.BundleContextExtension;

import io.grambot.api.tool.Tool;
import io.grambot.testkit.Grambot;
import io.grambot.testkit.GrambotExtension;
import io.grambot.testkit.ScriptedModel;
import io.grambot.testkit.TestChat;

/**
 * The plugin author's round trip: a project generated from the archetype (pom.xml's pre-integration-test runs
 * {@code archetype:generate -DpluginId=hello} and builds it with its own unit and in-framework tests), its jar
 * dropped into deploy/, and a bot turn answered through its tool.
 */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(GrambotExtension.class)
class GeneratedPluginTest {

    private static final String BSN = "hello-plugin";
    private static final Pattern SUITE = Pattern.compile("<testsuite\\b[^>]*>");

    @InjectBundleContext
    BundleContext context;

    Grambot grambot;

    @Test
    void theGeneratedPluginHotDeploysAndItsToolAnswersABotTurn() throws Exception {
        Path target = Fixtures.generatedPluginTarget(context);
        Path built = target.resolve("hello-plugin-1.0.0-SNAPSHOT.jar");
        assertThat(built).as("the generated plugin's jar, built before the tests").exists();
        assertThat(inFrameworkTestsThatRan(target.resolve("test-reports")))
                .as("the generated project's own in-framework tests that ran and passed").isEqualTo(2);

        Path jar = Fixtures.deployDir(context).resolve("hello-plugin.jar");
        Files.createDirectories(jar.getParent());
        long copied = System.nanoTime();
        Files.copy(built, jar);
        try {
            grambot.instance("hello", "hello-main", Map.of("greeting", "Hi"));
            long active = System.nanoTime();
            TestChat chat = grambot.chat("generated", "hello");
            chat.model().callTool("hello", Map.of("name", "Ada")).answer(ScriptedModel::lastToolResult);

            assertThat(chat.ask("greet Ada")).isEqualTo("Hi, Ada!");
            long answered = System.nanoTime();
            assertThat(chat.model().requests()).hasSize(2);
            assertThat(generatedBundle()).map(Bundle::getState).contains(Bundle.ACTIVE);
            System.out.printf("generated plugin: jar copied -> instance ACTIVE %d ms, -> bot turn answered %d ms%n",
                    (active - copied) / 1_000_000, (answered - copied) / 1_000_000);
        } finally {
            Files.deleteIfExists(jar);
            grambot.close();
            grambot.await("the generated plugin's bundle is uninstalled", () -> generatedBundle().isEmpty());
            Eventually.gone(context, Tool.class, "(grambot.instance.id=hello-main)");
        }
    }

    private Optional<Bundle> generatedBundle() {
        return Arrays.stream(context.getBundles()).filter(b -> BSN.equals(b.getSymbolicName())).findFirst();
    }

    /** Tests in the JUnit reports of bnd-testing, when none failed. */
    private static int inFrameworkTestsThatRan(Path reports) throws Exception {
        int tests = 0;
        try (Stream<Path> files = Files.walk(reports)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".xml")).toList()) {
                Matcher suite = SUITE.matcher(Files.readString(file));
                while (suite.find()) {
                    assertThat(attribute(suite.group(), "failures") + attribute(suite.group(), "errors"))
                            .as("failed tests in " + file).isZero();
                    tests += attribute(suite.group(), "tests");
                }
            }
        }
        return tests;
    }

    private static int attribute(String tag, String name) {
        Matcher value = Pattern.compile("\\b" + name + "=\"(\\d+)\"").matcher(tag);
        return value.find() ? Integer.parseInt(value.group(1)) : 0;
    }
}
