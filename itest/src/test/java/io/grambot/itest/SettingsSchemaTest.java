package io.grambot.itest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The echo plugin's settings schema, built by the core from the real bundle through the Felix Metatype service: the
 * metatype bnd generated, the bounds in its XML, the {@code @SettingFormat} on its configuration type, and the JSON
 * Schema validator running inside the framework.
 *
 * <p>The schema classes are internal to the core bundle (not exported), so the test calls them in the core's own
 * class space by reflection, which is where they run in production.
 */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
class SettingsSchemaTest {

    private static Bundle echo;

    @InjectBundleContext
    BundleContext context;

    @InjectService
    MetaTypeService metaTypes;

    @BeforeAll
    static void installEcho(@InjectBundleContext BundleContext context) throws Exception {
        try (InputStream in = Files.newInputStream(Fixtures.echoJar(context))) {
            echo = context.installBundle("itest:echo-schema", in);
        }
        echo.start();
    }

    @AfterAll
    static void uninstallEcho() throws Exception {
        echo.uninstall();
    }

    @Test
    void theEchoPluginsDeclarationBecomesItsJsonSchema() throws Exception {
        Object schema = echoSchema();

        JsonNode json = new ObjectMapper().valueToTree(call(schema, "jsonSchema"));

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
        assertThat(call(schema, "secretKeys")).isEqualTo(Set.of());
    }

    @Test
    void echoSettingsAreValidatedWithDefaultsAndPlainMessages() throws Exception {
        Object schema = echoSchema();

        Object valid = call(schema, "validate", "echo", "main", Map.of("toolName", "shout", "enabled", "true"));
        assertThat(call(valid, "isValid")).isEqualTo(true);
        assertThat(call(valid, "settings")).isEqualTo(Map.of("toolName", "shout", "enabled", true, "prefix", ""));

        Object invalid = call(schema, "validate", "echo", "main", Map.of("toolName", "no spaces please",
                "enabled", "maybe"));
        assertThat(call(invalid, "isValid")).isEqualTo(false);
        assertThat(call(invalid, "message")).isEqualTo(
                "instance 'main' of plugin 'echo': setting 'enabled' must be true or false (was 'maybe'); "
                        + "instance 'main' of plugin 'echo': setting 'toolName' must match the pattern "
                        + "^[A-Za-z0-9_-]+$ (was 'no spaces please')");

        Object tooLong = call(schema, "validate", "echo", "main", Map.of("toolName", "x".repeat(65)));
        assertThat(call(tooLong, "message")).isEqualTo("instance 'main' of plugin 'echo': setting 'toolName' "
                + "must be at most 64 characters long (was 65 characters)");
    }

    @Test
    void aBundleWithoutMetatypeForThePidHasNoSchema() throws Exception {
        assertThat(schemaOf(echo, "no.such.plugin")).isEmpty();
        assertThat(schemaOf(core(), "echo")).isEmpty();
    }

    private Object echoSchema() throws Exception {
        Optional<?> schema = schemaOf(echo, "echo");
        assertThat(schema).as("echo's settings schema").isPresent();
        return schema.get();
    }

    private Optional<?> schemaOf(Bundle plugin, String factoryPid) throws Exception {
        Class<?> type = core().loadClass("io.grambot.core.internal.SettingsSchema");
        Method of = type.getDeclaredMethod("of", MetaTypeService.class, Bundle.class, String.class);
        return (Optional<?>) invoke(of, null, metaTypes, plugin, factoryPid);
    }

    private Bundle core() {
        return Arrays.stream(context.getBundles()).filter(b -> "io.grambot.core".equals(b.getSymbolicName()))
                .findFirst().orElseThrow(() -> new AssertionError("io.grambot.core is not installed"));
    }

    /** Calls a method of a core-internal object by name and number of arguments. */
    private static Object call(Object target, String name, Object... args) throws Exception {
        List<Method> methods = Arrays.stream(target.getClass().getDeclaredMethods())
                .filter(m -> m.getName().equals(name) && m.getParameterCount() == args.length).toList();
        assertThat(methods).as("methods %s of %s", name, target.getClass()).hasSize(1);
        return invoke(methods.get(0), target, args);
    }

    private static Object invoke(Method method, Object target, Object... args) throws Exception {
        method.setAccessible(true); // package-private API of the core's internal package
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }
}
