package io.grambot.itest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.grambot.api.runtime.InstanceState;
import io.grambot.api.runtime.PluginRuntime;

/**
 * The echo plugin's settings declaration, read in the framework through the real Metatype service: the metatype bnd
 * generated, the bounds in its XML, the {@code @SettingFormat} on its configuration type, published as JSON Schema
 * through {@link PluginRuntime}, and enforced on an instance by the validator running inside the framework.
 */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(EchoPlugin.class)
@ExtendWith(ServiceExtension.class)
class SettingsSchemaTest {

    @InjectService
    ConfigurationAdmin configAdmin;

    @InjectService
    PluginRuntime runtime;

    @Test
    void theEchoPluginsDeclarationBecomesItsJsonSchema() throws Exception {
        Map<String, Object> schema = runtime.settingsSchema("echo").orElseThrow();

        JsonNode json = new ObjectMapper().valueToTree(schema);

        assertThat(json.path("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(json.path("title").asText()).isEqualTo("Grambot Echo tool");
        assertThat(json.path("type").asText()).isEqualTo("object");
        JsonNode toolName = json.path("properties").path("toolName");
        assertThat(toolName.path("title").asText()).isEqualTo("Tool name");
        assertThat(toolName.path("type").asText()).isEqualTo("string");
        assertThat(toolName.path("default").asText()).isEqualTo("echo");
        // min/max from the bundle's metatype XML, the pattern from @SettingFormat on the configuration type
        assertThat(toolName.path("minLength").asInt()).isEqualTo(1);
        assertThat(toolName.path("maxLength").asInt()).isEqualTo(64);
        assertThat(toolName.path("pattern").asText()).isEqualTo("^[A-Za-z0-9_-]+$");
        assertThat(json.path("properties").path("enabled").path("type").asText()).isEqualTo("boolean");
        assertThat(json.path("properties").path("enabled").path("default").asBoolean()).isTrue();
        assertThat(json.path("properties").path("prefix").path("type").asText()).isEqualTo("string");
        assertThat(json.has("required")).as("every echo setting has a default").isFalse();
    }

    @Test
    void aTooLongToolNameFailsTheInstanceWithThePlainRule() throws Exception {
        Configuration configuration = Instances.create(configAdmin, "echo", "longname", Map.of("toolName", "x".repeat(65)));

        assertThat(Instances.awaitState(runtime, "longname", InstanceState.FAILED).reason()).isEqualTo(
                "instance 'longname' of plugin 'echo': setting 'toolName' must be at most 64 characters long "
                        + "(was 65 characters)");
        configuration.delete();
    }

    @Test
    void aPluginThatIsNotInstalledHasNoSchema() {
        assertThat(runtime.settingsSchema("no-such-plugin")).isEmpty();
    }
}
