package io.grambot.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.osgi.service.metatype.AttributeDefinition.INTEGER;
import static org.osgi.service.metatype.AttributeDefinition.PASSWORD;
import static org.osgi.service.metatype.AttributeDefinition.STRING;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.grambot.core.internal.FakeMetatype.Ad;
import io.grambot.core.internal.FakeMetatype.Ocd;

class SettingsOverridesTest {

    private static final List<String> KEYS = List.of("pollTimeout", "api.token", "name");

    @Test
    void namesFollowOneRule() {
        assertThat(SettingsOverrides.propertyName("bot1", "pollTimeout")).isEqualTo("grambot.instance.bot1.pollTimeout");
        assertThat(SettingsOverrides.environmentName("bot1", "pollTimeout")).isEqualTo("GRAMBOT_INSTANCE_BOT1_POLLTIMEOUT");
        assertThat(SettingsOverrides.environmentName("my-bot.eu", "api.token")).isEqualTo("GRAMBOT_INSTANCE_MY_BOT_EU_API_TOKEN");
        assertThat(SettingsOverrides.environmentName("café", "x")).isEqualTo("GRAMBOT_INSTANCE_CAF__X");
    }

    @Test
    void launcherVariablesAreNeverSettings() {
        Map<String, String> environment = Map.of("GRAMBOT_ADMIN_PASSWORD", "console-secret", "GRAMBOT_HTTP_PORT", "80");
        SettingsOverrides overrides = new SettingsOverrides(name -> null, environment::get);

        assertThat(overrides.apply("admin", List.of("password"), Map.of()).origins()).isEmpty();
        assertThat(overrides.apply("http", List.of("port"), Map.of()).origins()).isEmpty();
    }

    @Test
    void aPropertyBeatsTheEnvironmentWhichBeatsTheConfiguration() {
        Map<String, String> properties = Map.of("grambot.instance.bot1.pollTimeout", "20");
        Map<String, String> environment = Map.of("GRAMBOT_INSTANCE_BOT1_POLLTIMEOUT", "30", "GRAMBOT_INSTANCE_BOT1_API_TOKEN", "from-env");
        SettingsOverrides overrides = new SettingsOverrides(properties::get, environment::get);

        SettingsOverrides.Applied applied = overrides.apply("bot1", KEYS,
                Map.of("pollTimeout", 40, "api.token", "from-config", "name", "kept", "other", "untouched"));

        assertThat(applied.settings()).containsEntry("pollTimeout", "20").containsEntry("api.token", "from-env")
                .containsEntry("name", "kept").containsEntry("other", "untouched");
        assertThat(applied.origins()).containsExactly(
                Map.entry("pollTimeout", "property grambot.instance.bot1.pollTimeout"),
                Map.entry("api.token", "environment variable GRAMBOT_INSTANCE_BOT1_API_TOKEN"));
        assertThat(applied.toString()).doesNotContain("from-env", "20");
    }

    @Test
    void onlyTheGivenInstanceAndKeysAreOverridden() {
        Map<String, String> environment = Map.of("GRAMBOT_INSTANCE_BOT2_NAME", "other instance", "GRAMBOT_INSTANCE_BOT1_UNDECLARED", "x");
        SettingsOverrides overrides = new SettingsOverrides(name -> null, environment::get);

        SettingsOverrides.Applied applied = overrides.apply("bot1", KEYS, Map.of("name", "mine"));

        assertThat(applied.settings()).containsExactly(Map.entry("name", "mine"));
        assertThat(applied.origins()).isEmpty();
    }

    @Test
    void overridesAreValidatedLikeConfigurationText() {
        SettingsSchema schema = SettingsSchema.of(Ocd.of("telegram", Ad.of("pollTimeout", INTEGER).defaults("30"),
                Ad.of("api.token", PASSWORD), Ad.of("name", STRING).defaults("bot")),
                Map.of("pollTimeout", new MetatypeXml.Bounds("0", "50")), null);
        Map<String, String> environment = Map.of("GRAMBOT_INSTANCE_BOT1_POLLTIMEOUT", "90", "GRAMBOT_INSTANCE_BOT1_API_TOKEN", "s3cr3t");
        SettingsOverrides overrides = new SettingsOverrides(name -> null, environment::get);

        SettingsOverrides.Applied applied = overrides.apply("bot1", schema.keys(), Map.of());
        Validation validation = schema.validate("telegram", "bot1", applied.settings());

        assertThat(validation.message()).isEqualTo(
                "instance 'bot1' of plugin 'telegram': setting 'pollTimeout' must be at most 50 (was 90)");

        SettingsOverrides fixed = new SettingsOverrides(Map.of("grambot.instance.bot1.pollTimeout", "25")::get,
                environment::get);
        assertThat(schema.validate("telegram", "bot1", fixed.apply("bot1", schema.keys(), Map.of()).settings())
                .settings()).containsEntry("pollTimeout", 25).containsEntry("api.token", "s3cr3t")
                .containsEntry("name", "bot");
    }
}
