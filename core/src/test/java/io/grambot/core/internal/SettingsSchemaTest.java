package io.grambot.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.osgi.service.metatype.AttributeDefinition.BOOLEAN;
import static org.osgi.service.metatype.AttributeDefinition.CHARACTER;
import static org.osgi.service.metatype.AttributeDefinition.DOUBLE;
import static org.osgi.service.metatype.AttributeDefinition.INTEGER;
import static org.osgi.service.metatype.AttributeDefinition.LONG;
import static org.osgi.service.metatype.AttributeDefinition.PASSWORD;
import static org.osgi.service.metatype.AttributeDefinition.SHORT;
import static org.osgi.service.metatype.AttributeDefinition.STRING;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Vector;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.grambot.api.SettingFormat;
import io.grambot.core.internal.FakeMetatype.Ad;
import io.grambot.core.internal.FakeMetatype.Ocd;

class SettingsSchemaTest {

    private static final String TOKEN = "123456:very-secret_token";

    /** The configuration type of the example plugin, as a plugin author writes it (Metatype annotations omitted). */
    @interface TelegramConfig {
        @SettingFormat(pattern = "^[0-9]+:[A-Za-z0-9_-]+$")
        String botToken();

        @SettingFormat(format = "uri")
        String baseUrl();

        int pollTimeout() default 30;

        @SettingFormat(pattern = "^-?[0-9]+$")
        String chatId();
    }

    private static final Ocd TELEGRAM = Ocd.of(TelegramConfig.class.getName(),
            Ad.of("botToken", PASSWORD),
            Ad.of("baseUrl", STRING),
            Ad.of("pollTimeout", INTEGER).defaults("30"),
            Ad.of("maxTokens", LONG).optional(),
            Ad.of("mode", STRING).defaults("fast").options(new String[] {"Fast", "Slow"}, new String[] {"fast", "slow"}),
            Ad.of("tags", STRING).cardinality(3).defaults("news", "chat"),
            Ad.of("ports", INTEGER).cardinality(-100).optional(),
            Ad.of("enabled", BOOLEAN).defaults("true"),
            Ad.of("temperature", DOUBLE).defaults("0.7"),
            Ad.of("chatId", STRING).optional());

    private static final Map<String, MetatypeXml.Bounds> BOUNDS = Map.of(
            "botToken", new MetatypeXml.Bounds("10", null),
            "pollTimeout", new MetatypeXml.Bounds("0", "50"),
            "temperature", new MetatypeXml.Bounds("0", "2"));

    private final ObjectMapper mapper = new ObjectMapper();
    private final SettingsSchema schema = SettingsSchema.of(TELEGRAM, BOUNDS, TelegramConfig.class);

    private static Map<String, Object> valid() {
        Map<String, Object> raw = new HashMap<>();
        raw.put("botToken", TOKEN);
        raw.put("baseUrl", "https://api.telegram.org");
        return raw;
    }

    private List<String> problems(Map<String, Object> raw) {
        Validation validation = schema.validate("telegram", "bot1", raw);
        assertThat(validation.isValid()).as("valid").isFalse();
        return validation.problems().stream().map(Validation.Problem::message).toList();
    }

    // --- JSON Schema ---

    @Test
    void publishesTheDeclarationAsJsonSchema() throws Exception {
        JsonNode expected = mapper.readTree("""
                {
                  "$schema": "https://json-schema.org/draft/2020-12/schema",
                  "title": "io.grambot.core.internal.SettingsSchemaTest$TelegramConfig settings",
                  "description": "What io.grambot.core.internal.SettingsSchemaTest$TelegramConfig does.",
                  "type": "object",
                  "properties": {
                    "botToken": {"title": "botToken name", "description": "botToken description", "type": "string",
                      "minLength": 10, "format": "password", "writeOnly": true, "pattern": "^[0-9]+:[A-Za-z0-9_-]+$"},
                    "baseUrl": {"title": "baseUrl name", "description": "baseUrl description", "type": "string",
                      "format": "uri"},
                    "pollTimeout": {"title": "pollTimeout name", "description": "pollTimeout description",
                      "type": "integer", "minimum": 0, "maximum": 50, "default": 30},
                    "maxTokens": {"title": "maxTokens name", "description": "maxTokens description", "type": "integer",
                      "minimum": -9223372036854775808, "maximum": 9223372036854775807},
                    "mode": {"title": "mode name", "description": "mode description", "type": "string",
                      "oneOf": [{"const": "fast", "title": "Fast"}, {"const": "slow", "title": "Slow"}],
                      "default": "fast"},
                    "tags": {"title": "tags name", "description": "tags description", "type": "array",
                      "items": {"type": "string"}, "maxItems": 3, "default": ["news", "chat"]},
                    "ports": {"title": "ports name", "description": "ports description", "type": "array",
                      "items": {"type": "integer", "minimum": -2147483648, "maximum": 2147483647}, "maxItems": 100},
                    "enabled": {"title": "enabled name", "description": "enabled description", "type": "boolean",
                      "default": true},
                    "temperature": {"title": "temperature name", "description": "temperature description",
                      "type": "number", "minimum": 0, "maximum": 2, "default": 0.7},
                    "chatId": {"title": "chatId name", "description": "chatId description", "type": "string",
                      "pattern": "^-?[0-9]+$"}
                  },
                  "required": ["botToken", "baseUrl"]
                }
                """);

        JsonNode published = mapper.readTree(mapper.writeValueAsString(schema.jsonSchema()));

        assertThat(published.equals(SettingsSchemaTest::sameJson, expected))
                .as("published schema %s", published.toPrettyString()).isTrue();
        assertThat(schema.jsonSchema().keySet()).containsExactly("$schema", "title", "description", "type",
                "properties", "required");
        assertThatThrownBy(() -> schema.jsonSchema().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void secretsAreTheKeysOfPasswordSettingsAndTheirDefaultIsNotPublished() {
        SettingsSchema withDefault = new SettingsSchema("s", "S", "", List.of(setting("apiKey", Setting.Type.PASSWORD,
                List.of("changeme"))));

        assertThat(schema.secretKeys()).containsExactly("botToken");
        assertThat(withDefault.secretKeys()).containsExactly("apiKey");
        assertThat(mapOf(withDefault.jsonSchema().get("properties")).get("apiKey")).asString()
                .doesNotContain("changeme");
        assertThat(withDefault.validate("p", "i", Map.of()).settings()).containsEntry("apiKey", "changeme");
    }

    @Test
    void keysAreInDeclarationOrder() {
        assertThat(schema.keys()).containsExactly("botToken", "baseUrl", "pollTimeout", "maxTokens", "mode", "tags",
                "ports", "enabled", "temperature", "chatId");
    }

    // --- coercion and defaults ---

    @Test
    void readsConfigurationFileTextAsTheDeclaredTypesAndAppliesDefaults() {
        Map<String, Object> raw = valid();
        raw.put("pollTimeout", " 45 ");
        raw.put("maxTokens", "4000000000");
        raw.put("enabled", "FALSE");
        raw.put("temperature", "1.5");
        raw.put("tags", "a, b\\,c");
        raw.put("ports", "80,443");
        raw.put("unknown.key", "kept");

        Map<String, Object> settings = schema.validate("telegram", "bot1", raw).settings();

        assertThat(settings).containsEntry("pollTimeout", 45).containsEntry("maxTokens", 4_000_000_000L)
                .containsEntry("enabled", false).containsEntry("temperature", 1.5)
                .containsEntry("tags", List.of("a", "b,c")).containsEntry("ports", List.of(80, 443))
                .containsEntry("mode", "fast").containsEntry("unknown.key", "kept")
                .containsEntry("botToken", TOKEN).doesNotContainKey("chatId");
        assertThat(settings.get("pollTimeout")).isInstanceOf(Integer.class);
        assertThat(settings.get("temperature")).isInstanceOf(Double.class);
    }

    @Test
    void readsTypedValuesArraysAndCollections() {
        Map<String, Object> raw = valid();
        raw.put("pollTimeout", 12L);
        raw.put("maxTokens", 7);
        raw.put("enabled", Boolean.FALSE);
        raw.put("temperature", 1);
        raw.put("tags", new String[] {"x"});
        raw.put("ports", new int[] {1, 2, 3});
        raw.put("chatId", new Vector<>(List.of("-100")));

        Map<String, Object> settings = schema.validate("telegram", "bot1", raw).settings();

        assertThat(settings).containsEntry("pollTimeout", 12).containsEntry("maxTokens", 7L)
                .containsEntry("enabled", false).containsEntry("temperature", 1.0)
                .containsEntry("tags", List.of("x")).containsEntry("ports", List.of(1, 2, 3))
                .containsEntry("chatId", "-100");
    }

    @Test
    void appliesDefaultsForAbsentAndBlankValues() {
        Map<String, Object> raw = valid();
        raw.put("pollTimeout", "");
        raw.put("enabled", "  ");

        Map<String, Object> settings = schema.validate("telegram", "bot1", raw).settings();

        assertThat(settings).containsEntry("pollTimeout", 30).containsEntry("enabled", true)
                .containsEntry("temperature", 0.7).containsEntry("tags", List.of("news", "chat"))
                .doesNotContainKeys("maxTokens", "ports");
    }

    @Test
    void aBlankTextIsAnEmptyListAndBlankNumbersInAListAreSkipped() {
        Map<String, Object> raw = valid();
        raw.put("tags", " ");
        raw.put("ports", "1,, 2,");

        assertThat(schema.validate("telegram", "bot1", raw).settings()).containsEntry("tags", List.of())
                .containsEntry("ports", List.of(1, 2));
    }

    @Test
    void aWholeNumberWrittenWithAFractionIsAnInteger() {
        Map<String, Object> raw = valid();
        raw.put("pollTimeout", "20.0");
        raw.put("ports", List.of(8080.0));

        assertThat(schema.validate("telegram", "bot1", raw).settings()).containsEntry("pollTimeout", 20)
                .containsEntry("ports", List.of(8080));
    }

    @Test
    void coversTheOtherMetatypeTypes() {
        SettingsSchema small = SettingsSchema.of(Ocd.of("small", Ad.of("level", SHORT).defaults("3"),
                Ad.of("separator", CHARACTER).defaults(";")), Map.of(), null);

        assertThat(small.validate("p", "i", Map.of("level", "7")).settings()).containsEntry("level", (short) 7)
                .containsEntry("separator", ';');
        assertThat(small.validate("p", "i", Map.of("level", "40000", "separator", "ab")).problems())
                .map(Validation.Problem::message).containsExactly(
                        "instance 'i' of plugin 'p': setting 'level' must be at most 32767 (was 40000)",
                        "instance 'i' of plugin 'p': setting 'separator' must be a single character (was 'ab')");
    }

    @Test
    void numericOptionsMatchWhateverWayTheNumberIsWritten() {
        SettingsSchema levels = SettingsSchema.of(Ocd.of("levels",
                Ad.of("level", INTEGER).options(new String[] {"Low", "High"}, new String[] {"1", "2"}),
                Ad.of("ratio", DOUBLE).options(new String[] {"Half", "Full"}, new String[] {"0.5", "1.0"})),
                Map.of(), null);

        assertThat(levels.validate("p", "i", Map.of("level", "2", "ratio", "0.50")).settings())
                .containsEntry("level", 2).containsEntry("ratio", 0.5);
        assertThat(levels.validate("p", "i", Map.of("level", 1L, "ratio", 1)).settings())
                .containsEntry("level", 1).containsEntry("ratio", 1.0);
        assertThat(levels.validate("p", "i", Map.of("level", 3, "ratio", 0.25)).problems())
                .map(Validation.Problem::message).containsExactly(
                        "instance 'i' of plugin 'p': setting 'level' must be one of '1' (Low), '2' (High) (was 3)",
                        "instance 'i' of plugin 'p': setting 'ratio' must be one of '0.5' (Half), '1.0' (Full) (was 0.25)");
    }

    // --- rules and their messages ---

    @Test
    void aMissingRequiredSettingWithoutDefaultIsReported() {
        Map<String, Object> raw = valid();
        raw.remove("baseUrl");

        assertThat(problems(raw)).containsExactly("instance 'bot1' of plugin 'telegram': setting 'baseUrl' is required");
    }

    @Test
    void outOfRangeNumbersAreReportedWithTheBound() {
        Map<String, Object> raw = valid();
        raw.put("pollTimeout", "90");
        raw.put("temperature", -0.5);

        assertThat(problems(raw)).containsExactly(
                "instance 'bot1' of plugin 'telegram': setting 'pollTimeout' must be at most 50 (was 90)",
                "instance 'bot1' of plugin 'telegram': setting 'temperature' must be at least 0 (was -0.5)");
    }

    @Test
    void anIntegerBeyondItsJavaTypeIsOutOfRange() {
        Map<String, Object> raw = valid();
        raw.put("ports", List.of("3000000000"));

        assertThat(problems(raw)).containsExactly("instance 'bot1' of plugin 'telegram': setting 'ports' value 1 "
                + "must be at most 2147483647 (was 3000000000)");
    }

    @Test
    void wrongTypesAreReportedWithTheValue() {
        Map<String, Object> raw = valid();
        raw.put("maxTokens", "abc");
        raw.put("pollTimeout", "1.5");
        raw.put("enabled", "yes");
        raw.put("temperature", "warm");

        assertThat(problems(raw)).containsExactly(
                "instance 'bot1' of plugin 'telegram': setting 'pollTimeout' must be an integer (was 1.5)",
                "instance 'bot1' of plugin 'telegram': setting 'maxTokens' must be an integer (was 'abc')",
                "instance 'bot1' of plugin 'telegram': setting 'enabled' must be true or false (was 'yes')",
                "instance 'bot1' of plugin 'telegram': setting 'temperature' must be a number (was 'warm')");
    }

    @Test
    void aListForASingleValueIsReported() {
        Map<String, Object> raw = valid();
        raw.put("pollTimeout", List.of(1, 2));

        assertThat(problems(raw)).containsExactly("instance 'bot1' of plugin 'telegram': setting 'pollTimeout' "
                + "must be one value, an integer, not a list (was [1, 2])");
    }

    @Test
    void eachValueOfAListIsCheckedAndTheirNumberIsBounded() {
        Map<String, Object> raw = valid();
        raw.put("ports", "80, x");
        raw.put("tags", List.of("a", "b", "c", "d"));

        assertThat(problems(raw)).containsExactly(
                "instance 'bot1' of plugin 'telegram': setting 'tags' must have at most 3 values (had 4)",
                "instance 'bot1' of plugin 'telegram': setting 'ports' value 2 must be an integer (was 'x')");
    }

    @Test
    void aValueOutsideTheOptionsIsReportedWithTheOptions() {
        Map<String, Object> raw = valid();
        raw.put("mode", "medium");

        assertThat(problems(raw)).containsExactly("instance 'bot1' of plugin 'telegram': setting 'mode' "
                + "must be one of 'fast' (Fast), 'slow' (Slow) (was 'medium')");
    }

    @Test
    void badFormatsAndPatternsAreReported() {
        Map<String, Object> raw = valid();
        raw.put("baseUrl", "api.telegram.org without scheme");
        raw.put("chatId", "@channel");

        assertThat(problems(raw)).containsExactly(
                "instance 'bot1' of plugin 'telegram': setting 'baseUrl' must be an absolute URI such as "
                        + "https://example.org/path (was 'api.telegram.org without scheme')",
                "instance 'bot1' of plugin 'telegram': setting 'chatId' must match the pattern ^-?[0-9]+$ "
                        + "(was '@channel')");
    }

    @Test
    void textLengthsAreChecked() {
        SettingsSchema names = SettingsSchema.of(Ocd.of("names", Ad.of("name", STRING)),
                Map.of("name", new MetatypeXml.Bounds("2", "4")), null);

        assertThat(names.validate("p", "i", Map.of("name", "a")).message())
                .isEqualTo("instance 'i' of plugin 'p': setting 'name' must be at least 2 characters long (was 1 character)");
        assertThat(names.validate("p", "i", Map.of("name", "abcde")).message())
                .isEqualTo("instance 'i' of plugin 'p': setting 'name' must be at most 4 characters long (was 5 characters)");
        assertThat(names.validate("p", "i", Map.of("name", "abc")).isValid()).isTrue();
    }

    @Test
    void everyProblemIsReportedInDeclarationOrder() {
        Map<String, Object> raw = new HashMap<>();
        raw.put("chatId", "x");
        raw.put("pollTimeout", -1);

        assertThat(problems(raw)).containsExactly(
                "instance 'bot1' of plugin 'telegram': setting 'botToken' is required",
                "instance 'bot1' of plugin 'telegram': setting 'baseUrl' is required",
                "instance 'bot1' of plugin 'telegram': setting 'pollTimeout' must be at least 0 (was -1)",
                "instance 'bot1' of plugin 'telegram': setting 'chatId' must match the pattern ^-?[0-9]+$ (was 'x')");
        assertThat(schema.validate("telegram", "bot1", raw).problems()).extracting(Validation.Problem::key,
                Validation.Problem::rule).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("botToken", "required"),
                        org.assertj.core.groups.Tuple.tuple("baseUrl", "required"),
                        org.assertj.core.groups.Tuple.tuple("pollTimeout", "minimum"),
                        org.assertj.core.groups.Tuple.tuple("chatId", "pattern"));
    }

    @Test
    void anInvalidConfigurationHasNoSettings() {
        Validation validation = schema.validate("telegram", "bot1", Map.of());

        assertThatThrownBy(validation::settings).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("setting 'botToken' is required");
    }

    // --- secrets ---

    @Test
    void aSecretValueNeverAppearsInAProblemOrToString() {
        SettingsSchema secrets = new SettingsSchema("s", "S", "", List.of(
                new Setting("apiKey", "API key", "", Setting.Type.PASSWORD, 0, List.of(), true, List.of(), "30", "40",
                        "email", "^sk-"),
                new Setting("pin", "PIN", "", Setting.Type.PASSWORD, 0, List.of(), true,
                        List.of(new Setting.Option("one", "1111")), null, null, null, null),
                new Setting("keys", "Keys", "", Setting.Type.PASSWORD, 2, List.of(), false, List.of(), null, "3",
                        null, null)));
        String apiKey = "hunter2-secret";
        String pin = "9876";

        Validation validation = secrets.validate("p", "i", Map.of("apiKey", apiKey, "pin", pin,
                "keys", List.of("alpha-secret", "beta-secret", "gamma-secret")));

        assertThat(validation.problems()).map(Validation.Problem::message).containsExactly(
                "instance 'i' of plugin 'p': setting 'apiKey' must be at least 30 characters long",
                "instance 'i' of plugin 'p': setting 'apiKey' must be an e-mail address",
                "instance 'i' of plugin 'p': setting 'apiKey' must match the pattern ^sk-",
                "instance 'i' of plugin 'p': setting 'pin' must be one of '1111' (one)",
                "instance 'i' of plugin 'p': setting 'keys' must have at most 2 values (had 3)",
                "instance 'i' of plugin 'p': setting 'keys' value 1 must be at most 3 characters long",
                "instance 'i' of plugin 'p': setting 'keys' value 2 must be at most 3 characters long",
                "instance 'i' of plugin 'p': setting 'keys' value 3 must be at most 3 characters long");
        String everything = validation.toString() + validation.message() + validation.problems();
        assertThat(everything).doesNotContain(apiKey, pin, "alpha", "beta", "gamma", "14 characters");

        Validation ok = secrets.validate("p", "i", Map.of("apiKey", "sk-abcdefghijklmnopqrstuvw@example.org",
                "pin", "1111"));
        assertThat(ok.isValid()).isTrue();
        assertThat(ok.toString()).doesNotContain("sk-abc", "1111").contains("apiKey", "pin");
    }

    // --- declarations a plugin author gets wrong ---

    @Test
    void contradictoryDeclarationsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> new SettingsSchema("c", "C", "", List.of(new Setting("url", "URL", "",
                Setting.Type.STRING, 0, List.of(), true, List.of(), null, null, "url", null))))
                .hasMessageStartingWith("setting 'url' of c declares format 'url', which is not one of [date, ");
        assertThatThrownBy(() -> new SettingsSchema("c", "C", "", List.of(new Setting("id", "Id", "",
                Setting.Type.STRING, 0, List.of(), true, List.of(), null, null, null, "[a-"))))
                .hasMessageStartingWith("setting 'id' of c declares pattern '[a-', which is not a regular expression");
        assertThatThrownBy(() -> SettingsSchema.of(Ocd.of("c", Ad.of("n", INTEGER)),
                Map.of("n", new MetatypeXml.Bounds("one", null)), null))
                .hasMessage("setting 'n' declares min 'one', which is not a number (in c)");
        assertThatThrownBy(() -> SettingsSchema.of(Ocd.of("c", Ad.of("n", INTEGER).defaults("many")), Map.of(), null))
                .hasMessage("setting 'n' declares a default that is not an integer (in c)");
        assertThatThrownBy(() -> SettingsSchema.of(Ocd.of("c", Ad.of("n", INTEGER)
                .options(new String[] {"One"}, new String[] {"uno"})), Map.of(), null))
                .hasMessage("setting 'n' declares option 'uno', which is not an integer (in c)");
    }

    @Test
    void withoutAConfigurationTypeThereAreNoFormats() {
        SettingsSchema plain = SettingsSchema.of(TELEGRAM, BOUNDS, null);
        Map<String, Object> raw = valid();
        raw.put("baseUrl", "not a uri");
        raw.put("chatId", "not a number");

        assertThat(plain.validate("telegram", "bot1", raw).isValid()).isTrue();
        assertThat(mapOf(plain.jsonSchema().get("properties")).get("baseUrl")).asString().doesNotContain("format");
    }

    @interface Mangled {
        String PREFIX_ = "http.";

        @SettingFormat(format = "uri")
        String base_url();

        @SettingFormat(pattern = "^k")
        String api$_$key();
    }

    @Test
    void formatsAreFoundThroughTheDeclarativeServicesPropertyNames() {
        SettingsSchema mangled = SettingsSchema.of(Ocd.of("m", Ad.of("http.base.url", STRING),
                Ad.of("http.api-key", STRING)), Map.of(), Mangled.class);

        assertThat(mangled.validate("p", "i", Map.of("http.base.url", "x", "http.api-key", "y")).problems())
                .extracting(Validation.Problem::rule).containsExactly("format", "pattern");
    }

    private static Setting setting(String id, Setting.Type type, List<String> defaults) {
        return new Setting(id, id, "", type, 0, defaults, true, List.of(), null, null, null, null);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> mapOf(Object map) {
        return (Map<String, Object>) map;
    }

    /** Numbers compare by value (30 equals 30L equals 30.0), everything else as usual. */
    private static int sameJson(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    }

    @Test
    void secretKeysAreImmutable() {
        assertThatThrownBy(() -> schema.secretKeys().add("x")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(schema.secretKeys()).isEqualTo(Set.of("botToken"));
    }
}
