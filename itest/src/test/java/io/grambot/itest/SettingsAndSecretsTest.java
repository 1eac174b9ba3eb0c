package io.grambot.itest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.grambot.api.PluginConstants;
import io.grambot.api.PluginContext;
import io.grambot.api.Secret;
import io.grambot.api.runtime.InstanceState;
import io.grambot.api.runtime.InstanceStatus;
import io.grambot.api.runtime.PluginRuntime;
import io.grambot.api.tool.Tool;

/** Settings are validated against the plugin's declaration before it starts; secret settings leave ConfigAdmin. */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
@ExtendWith(EchoPlugin.class)
class SettingsAndSecretsTest {


    @InjectBundleContext
    BundleContext context;

    @InjectService
    ConfigurationAdmin configAdmin;

    @InjectService
    PluginRuntime runtime;

    @Test
    void invalidSettingsFailTheInstanceWithTheExactRuleWhileAValidNeighbourRuns() throws Exception {
        Configuration bad = Instances.create(configAdmin, "echo", "badname", Map.of("toolName", "no spaces allowed"));
        Configuration good = Instances.create(configAdmin, "echo", "goodname", Map.of("toolName", "fine_name"));

        InstanceStatus failed = Instances.awaitState(runtime, "badname", InstanceState.FAILED);

        assertThat(failed.reason()).isEqualTo("instance 'badname' of plugin 'echo': setting 'toolName' must match "
                + "the pattern ^[A-Za-z0-9_-]+$ (was 'no spaces allowed')");
        assertThat(context.getServiceReferences(PluginContext.class, Instances.filter("badname"))).isEmpty();
        assertThat(Eventually.service(context, Tool.class, Instances.filter("goodname")).name()).isEqualTo("fine_name");

        Configuration range = Instances.create(configAdmin, "faulty", "toomany", Map.of("retries", "11"));
        assertThat(Instances.awaitState(runtime, "toomany", InstanceState.FAILED).reason())
                .isEqualTo("instance 'toomany' of plugin 'faulty': setting 'retries' must be at most 10 (was 11)");
        range.update(new Hashtable<>(Map.of("retries", "abc")));
        Eventually.until("a wrong type is reported", () -> runtime.instance("toomany").orElseThrow().reason()
                .equals("instance 'toomany' of plugin 'faulty': setting 'retries' must be an integer (was 'abc')"));

        bad.update(new Hashtable<>(Map.of("toolName", "mended")));
        assertThat(Eventually.service(context, Tool.class, "(&" + Instances.filter("badname") + "(toolName=mended))").name())
                .isEqualTo("mended");
        bad.delete();
        good.delete();
        range.delete();
    }

    @Test
    void aSystemPropertyOverridesASettingUnderTheDocumentedName() throws Exception {
        System.setProperty("grambot.instance.overridden.toolName", "from_property");
        try {
            Configuration configuration = Instances.create(configAdmin, "echo", "overridden", Map.of("toolName", "from_config"));

            assertThat(Eventually.service(context, Tool.class, Instances.filter("overridden")).name()).isEqualTo("from_property");
            assertThat(Eventually.service(context, PluginContext.class, Instances.filter("overridden")).settings())
                    .containsEntry("toolName", "from_property");
            configuration.delete();
        } finally {
            System.clearProperty("grambot.instance.overridden.toolName");
        }
    }

    @Test
    void secretSettingsMoveIntoTheOwnInstancesSecretsAndNeverShowUpAnywhereElse() throws Exception {
        String secret = "sk-live-7f3a9c2e51d04b8b";
        String second = "sk-live-second-0c11d9e2";
        try (LogCapture logs = new LogCapture(context)) {
            Configuration keeper = Instances.create(configAdmin, "faulty", "keeper", Map.of("toolName", "keeper", "apiKey", secret));
            Configuration other = Instances.create(configAdmin, "faulty", "other", Map.of("toolName", "other"));

            Eventually.until("the secret left the configuration",
                    () -> properties(keeper).get("apiKey") == null && properties(keeper).get("toolName") != null);
            PluginContext keeperContext = Eventually.service(context, PluginContext.class, Instances.filter("keeper"));
            PluginContext otherContext = Eventually.service(context, PluginContext.class, Instances.filter("other"));
            assertThat(keeperContext.secrets().get("apiKey")).contains(Secret.of(secret));
            assertThat(otherContext.secrets().get("apiKey")).isEmpty();
            assertThat(keeperContext.settings()).doesNotContainKey("apiKey");

            InstanceStatus status = Instances.awaitState(runtime, "keeper", InstanceState.ACTIVE);
            assertThat(status.settings()).containsEntry("apiKey", "********");
            assertThat(status.secretKeys()).containsExactly("apiKey");

            Path secrets = Fixtures.dataDir(context).resolve("secrets.json");
            assertThat(Files.readString(secrets)).contains(secret);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secrets))).isEqualTo("rw-------");

            // a new value replaces the stored one, and an invalid edit reports without the value
            keeper.update(new Hashtable<>(Map.of("toolName", "keeper", "apiKey", second, "retries", 99)));
            InstanceStatus failed = Instances.awaitState(runtime, "keeper", InstanceState.FAILED);
            assertThat(failed.reason()).contains("retries").doesNotContain(second).doesNotContain(secret);
            Eventually.until("the new secret is stored", () -> read(secrets).contains(second));

            String everything = String.join("\n", logs.lines()) + keeperContext + keeperContext.secrets()
                    + status + failed + runtime.instances();
            assertThat(everything).doesNotContain(secret).doesNotContain(second);
            assertThat(logs.lines()).anyMatch(line -> line.contains("moved secret settings [apiKey] of instance 'keeper'"));
            Eventually.until("no stored configuration holds a secret", () -> !configStoreContains(secret)
                    && !configStoreContains(second));

            keeper.delete();
            other.delete();
            Eventually.until("the deleted instance's secrets are gone", () -> !read(secrets).contains(second));
        }
    }

    @Test
    void aSecretSavedWhileTheLastSaveIsStillBeingProcessedIsKept() throws Exception {
        // the second save lands while the first is being moved out: the move must store the newest typed value,
        // not remove it with the first one's secret
        Configuration quick = Instances.create(configAdmin, "faulty", "quick", Map.of("toolName", "quick", "apiKey", "sk-first-0"));
        for (int save = 1; save <= 100; save++) {
            quick.update(new Hashtable<>(Map.of("toolName", "quick", "apiKey", "sk-first-" + save)));
            quick.update(new Hashtable<>(Map.of("toolName", "quick", "apiKey", "sk-second-" + save)));
            String expected = "sk-second-" + save;
            try {
                Eventually.until("the last saved secret " + expected + " is stored and out of the configuration",
                        () -> properties(quick).get("apiKey") == null && runtime.instance("quick")
                                .map(status -> status.state() == InstanceState.ACTIVE).orElse(false)
                                && storedSecret("quick", "apiKey").equals(java.util.Optional.of(Secret.of(expected))));
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + ": the configuration's apiKey " + properties(quick)
                        .get("apiKey") + ", the instance " + runtime.instance("quick").map(st -> st.state() + " "
                                + st.reason()).orElse("unknown") + ", stored " + storedSecret("quick", "apiKey")
                                        .map(Secret::reveal).orElse("nothing"), e);
            }
        }
        quick.delete();
    }

    @Test
    void aSecretWrittenIntoSettingsJsonMovesToTheSecretsStoreAndLeavesEveryOtherFile() throws Exception {
        String secret = "sk-from-file-5d8e21aa90";
        Path settings = Fixtures.dataDir(context).resolve("settings.json");
        Path base = Fixtures.dataDir(context).resolve("state/settings.base.json");
        ObjectMapper json = new ObjectMapper();
        Eventually.until("settings.json exists", () -> Files.exists(settings));
        ObjectNode document = (ObjectNode) json.readTree(settings.toFile());
        ObjectNode entry = ((ArrayNode) document.withArray("plugins")).addObject();
        entry.put("instanceId", "filekeeper").put("pluginId", "faulty").put("enabled", true);
        entry.putObject("settings").put("toolName", "filekeeper").put("apiKey", secret);
        Files.write(settings, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(document));

        PluginContext keeper = Eventually.service(context, PluginContext.class, Instances.filter("filekeeper"));
        Eventually.until("the secret is in the secrets store only", () -> keeper.secrets().get("apiKey").isPresent()
                && !read(settings).contains(secret) && read(settings).contains("filekeeper")
                && !read(base).contains(secret) && !configStoreContains(secret));
        assertThat(keeper.secrets().get("apiKey")).contains(Secret.of(secret));
        assertThat(read(Fixtures.dataDir(context).resolve("secrets.json"))).contains(secret);

        configAdmin.getConfiguration("faulty~filekeeper", null).delete();
        Eventually.until("the instance left settings.json", () -> !read(settings).contains("filekeeper"));
    }

    /** The secret the instance's published context gives now (empty while none is published). */
    private java.util.Optional<Secret> storedSecret(String instanceId, String key) {
        try {
            for (var reference : context.getServiceReferences(PluginContext.class, Instances.filter(instanceId))) {
                PluginContext published = context.getService(reference);
                try {
                    if (published != null) {
                        return published.secrets().get(key);
                    }
                } finally {
                    context.ungetService(reference);
                }
            }
            return java.util.Optional.empty();
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private boolean configStoreContains(String text) {
        try (Stream<Path> files = Files.walk(Fixtures.dataDir(context).resolve("config"))) {
            List<Path> regular = files.filter(Files::isRegularFile).toList();
            for (Path file : regular) {
                if (new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1).contains(text)) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return true; // a file vanished while walking: look again
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    private static java.util.Dictionary<String, Object> properties(Configuration configuration) {
        java.util.Dictionary<String, Object> properties = configuration.getProperties();
        return properties == null ? new Hashtable<>() : properties;
    }

}
