package io.grambot.core.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.grambot.core.internal.SettingsJson.InvalidSettingsException;

class SettingsJsonTest {

    private static SettingsDocument parse(String json) throws InvalidSettingsException {
        return SettingsJson.parse(json.getBytes(UTF_8));
    }

    private static InvalidSettingsException invalid(String json) {
        InvalidSettingsException e = catchThrowableOfType(InvalidSettingsException.class, () -> parse(json));
        assertThat(e).as("parsing should fail: " + json).isNotNull();
        return e;
    }

    @Test
    void readsTheReferenceFormatWithTypedValues() throws Exception {
        SettingsDocument doc = parse("""
                {"plugins": [
                  {"instanceId": "main", "pluginId": "telegram", "enabled": true,
                   "settings": {"polling": true, "limit": 5, "ratio": 0.5, "name": "bot", "ids": [1, 2.5],
                                "words": ["a", "b"], "none": []}},
                  {"pluginId": "openai-codex", "instanceId": "work", "enabled": false}
                ],
                "engine": {"language": "en"}}
                """);

        assertThat(doc.plugins()).containsOnlyKeys("main", "work");
        SettingsDocument.Entry main = doc.plugins().get("main");
        assertThat(main.pluginId()).isEqualTo("telegram");
        assertThat(main.enabled()).isTrue();
        assertThat(main.settings()).containsEntry("polling", true).containsEntry("limit", 5L)
                .containsEntry("ratio", 0.5).containsEntry("name", "bot").containsEntry("ids", List.of(1L, 2.5))
                .containsEntry("words", List.of("a", "b")).containsEntry("none", List.of());
        assertThat(doc.plugins().get("work").enabled()).isFalse();
        assertThat(doc.plugins().get("work").settings()).isEmpty();
        assertThat(doc.engine()).isEqualTo(Map.of("language", "en"));
    }

    @Test
    void enabledDefaultsToTrueAndAnEmptyObjectIsAnEmptyDocument() throws Exception {
        assertThat(parse("{\"plugins\":[{\"instanceId\":\"a\",\"pluginId\":\"echo\"}]}").plugins().get("a").enabled())
                .isTrue();
        assertThat(parse("{}").same(SettingsDocument.EMPTY)).isTrue();
    }

    @Test
    void writingAndReadingGivesTheSameDocumentInTheSameOrder() throws Exception {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("zeta", "z");
        settings.put("count", 3L);
        settings.put("ratio", 1.25);
        settings.put("flags", List.of(true, false));
        settings.put("unicode", "grüße \"quoted\"");
        Map<String, SettingsDocument.Entry> plugins = new LinkedHashMap<>();
        plugins.put("second", SettingsDocument.Entry.instance("second", "echo", false, settings));
        plugins.put("first", SettingsDocument.Entry.instance("first", "openai-codex", true, Map.of()));
        SettingsDocument doc = new SettingsDocument(plugins, Map.of("language", "en"));

        byte[] written = SettingsJson.write(doc);
        SettingsDocument read = SettingsJson.parse(written);

        assertThat(read.same(doc)).isTrue();
        assertThat(read.plugins().keySet()).containsExactly("second", "first");
        assertThat(read.plugins().get("second").settings().keySet()).containsExactly("zeta", "count", "ratio", "flags",
                "unicode");
        assertThat(new String(written, UTF_8)).startsWith("{\n  \"plugins\": [\n    {\n      \"instanceId\": \"second\",")
                .endsWith("}\n");
    }

    @Test
    void brokenJsonIsReportedWithLineAndColumnButWithoutQuotedContent() {
        InvalidSettingsException e = invalid("{\"plugins\": [\n  {\"instanceId\": \"a\", \"pluginId\": \"echo\",\n"
                + "   \"settings\": {\"token\": hunter2}}]}");

        assertThat(e.line()).isEqualTo(3);
        assertThat(e.column()).isGreaterThan(1);
        assertThat(e.getMessage()).startsWith("line 3, column ").contains("not valid JSON").doesNotContain("hunter2");
    }

    @Test
    void anUnterminatedFileIsReportedAtItsEnd() {
        InvalidSettingsException e = invalid("{\"plugins\": [\n  {\"instanceId\": \"a\", \"settings\": {\"k\": \"secret-v");

        assertThat(e.line()).isEqualTo(2);
        assertThat(e.getMessage()).doesNotContain("secret-v").doesNotContain("Source");
    }

    @Test
    void aNestedObjectNamesTheInstanceAndTheKeyAndWhere() {
        InvalidSettingsException e = invalid("""
                {"plugins": [
                  {"settings": {"ok": 1,
                     "deep": {"x": "private"}}, "instanceId": "bot", "pluginId": "echo"}
                ]}
                """);

        assertThat(e.getMessage()).isEqualTo("line 3, column 14: setting 'deep' of instance 'bot' is a nested object; "
                + "expected a string, number, boolean or an array of one of these");
        assertThat(e.line()).isEqualTo(3);
    }

    @Test
    void aMixedArrayAndNullsAreRejected() {
        assertThat(invalid("{\"plugins\":[{\"instanceId\":\"a\",\"pluginId\":\"echo\",\"settings\":{\"m\":[1,\"x\"]}}]}")
                .getMessage()).contains("setting 'm' of instance 'a' is an array mixing numbers and strings");
        assertThat(invalid("{\"engine\":{\"n\":null}}").getMessage()).contains("setting 'n' of the engine is null");
        assertThat(invalid("{\"engine\":{\"n\":[[1]]}}").getMessage()).contains("a nested array");
    }

    @Test
    void anInvalidInstanceIdRejectsTheFileAtItsPosition() {
        InvalidSettingsException e = invalid("{\"plugins\": [\n {\"instanceId\": \"../up\", \"pluginId\": \"echo\"}]}");

        assertThat(e.getMessage()).startsWith("line 2, column 17: instance id '../up' must start with a letter");
    }

    @Test
    void structuralMistakesAreRejectedWithWhatWasExpected() {
        assertThat(invalid("{\"plugins\":[{\"instanceId\":\"a\",\"pluginId\":\"echo\"},"
                + "{\"instanceId\":\"a\",\"pluginId\":\"echo\"}]}").getMessage())
                .contains("instance id 'a' appears twice (first at line 1)");
        assertThat(invalid("{\"plugins\":[{\"pluginId\":\"echo\"}]}").getMessage())
                .contains("plugins[0] has no \"instanceId\"");
        assertThat(invalid("{\"plugins\":[{\"instanceId\":\"a\"}]}").getMessage())
                .contains("instance 'a' has no \"pluginId\"");
        assertThat(invalid("{\"plugins\":[{\"instanceId\":\"a\",\"pluginId\":\"echo\",\"enabled\":\"no\"}]}")
                .getMessage()).contains("plugins[0].enabled must be true or false, found a string");
        assertThat(invalid("{\"plugins\":{}}").getMessage()).contains("\"plugins\" must be an array");
        assertThat(invalid("{\"plugin\":[]}").getMessage()).contains("unknown top-level field \"plugin\"");
        assertThat(invalid("{\"plugins\":[{\"instanceId\":\"a\",\"pluginId\":\"echo\",\"comment\":1}]}").getMessage())
                .contains("unknown field \"comment\"");
        assertThat(invalid("[]").getMessage()).contains("expected an object");
        assertThat(invalid("").getMessage()).contains("the file is empty");
        assertThat(invalid("{} {}").getMessage()).contains("unexpected content after the top-level object");
    }

    @Test
    void reservedAndCaseClashingKeysAreRejected() {
        assertThat(invalid("{\"engine\":{\"service.pid\":\"x\"}}").getMessage())
                .contains("setting 'service.pid' of the engine is reserved");
        assertThat(invalid("{\"plugins\":[{\"instanceId\":\"a\",\"pluginId\":\"echo\",\"settings\":{\"Enabled\":false}}]}")
                .getMessage()).contains("setting 'Enabled' of instance 'a' is reserved");
        assertThat(invalid("{\"engine\":{\"Name\":\"x\",\"name\":\"y\"}}").getMessage())
                .contains("setting 'name' of the engine clashes with 'Name': ConfigAdmin keys ignore case");
    }

    // ---- bots

    @Test
    void readsBotsBesidePluginsInTheirOwnNamespace() throws Exception {
        SettingsDocument doc = parse("""
                {"plugins": [{"instanceId": "default", "pluginId": "webchat"}],
                 "bots": [
                   {"botId": "default", "enabled": true,
                    "settings": {"connectors": ["webchat"], "provider": "openai", "maxToolRounds": 3}},
                   {"botId": "quiet", "enabled": false}
                 ]}
                """);

        assertThat(doc.plugins()).containsOnlyKeys("default");
        assertThat(doc.bots()).containsOnlyKeys("default", "quiet");
        SettingsDocument.Entry bot = doc.bots().get("default");
        assertThat(bot.kind()).isEqualTo(SettingsDocument.Kind.BOT);
        assertThat(bot.pluginId()).isNull();
        assertThat(bot.factoryPid()).isEqualTo("grambot.bot");
        assertThat(bot.enabled()).isTrue();
        assertThat(bot.settings()).containsEntry("connectors", List.of("webchat")).containsEntry("provider", "openai")
                .containsEntry("maxToolRounds", 3L);
        assertThat(doc.bots().get("quiet").enabled()).isFalse();
        assertThat(doc.bots().get("quiet").settings()).isEmpty();
    }

    @Test
    void botsAreWrittenBetweenPluginsAndEngineAndReadBack() throws Exception {
        SettingsDocument doc = new SettingsDocument(
                Map.of("web", SettingsDocument.Entry.instance("web", "webchat", true, Map.of())),
                Map.of("helper", SettingsDocument.Entry.bot("helper", false,
                        Map.of("connectors", List.of("web"), "systemPrompt", "Be brief."))),
                Map.of());

        byte[] written = SettingsJson.write(doc);

        assertThat(SettingsJson.parse(written).same(doc)).isTrue();
        assertThat(new String(written, UTF_8))
                .contains("  \"bots\": [\n    {\n      \"botId\": \"helper\",\n      \"enabled\": false,\n")
                .doesNotContain("\"pluginId\": null");
        String text = new String(written, UTF_8);
        assertThat(text.indexOf("\"plugins\"")).isLessThan(text.indexOf("\"bots\""));
        assertThat(text.indexOf("\"bots\"")).isLessThan(text.indexOf("\"engine\""));
    }

    @Test
    void anOldFileOrBaseWithoutBotsStillLoads() throws Exception {
        SettingsDocument doc = parse("""
                {"plugins": [{"instanceId": "main", "pluginId": "echo", "enabled": true, "settings": {}}],
                 "engine": {}}
                """);

        assertThat(doc.bots()).isEmpty();
        assertThat(doc.plugins()).containsOnlyKeys("main");
    }

    @Test
    void botEntriesAreCheckedAsStrictlyAsInstancesWithLineAndColumn() {
        assertThat(invalid("{\"bots\": [{\"botId\": \"a\"},\n {\"botId\": \"a\"}]}").getMessage())
                .isEqualTo("line 2, column 12: bot id 'a' appears twice (first at line 1); bot ids must be unique");
        assertThat(invalid("{\"bots\": [\n {\"botId\": \"../up\"}]}").getMessage())
                .startsWith("line 2, column 12: bot id '../up' must start with a letter or digit");
        assertThat(invalid("{\"bots\": [{\"botId\": 7}]}").getMessage())
                .contains("bots[0].botId must be a string, found a number");
        assertThat(invalid("{\"bots\": [{\"enabled\": true}]}").getMessage()).contains("bots[0] has no \"botId\"");
        assertThat(invalid("{\"bots\": [{\"botId\": \"a\", \"pluginId\": \"echo\"}]}").getMessage())
                .contains("bots[0] has an unknown field \"pluginId\"; expected \"botId\", \"enabled\" and \"settings\"");
        assertThat(invalid("{\"bots\": [{\"botId\": \"a\", \"instanceId\": \"a\"}]}").getMessage())
                .contains("bots[0] has an unknown field \"instanceId\"");
        assertThat(invalid("{\"bots\": [{\"botId\": \"a\", \"enabled\": 1}]}").getMessage())
                .contains("bots[0].enabled must be true or false, found a number");
        assertThat(invalid("{\"bots\": [\"a\"]}").getMessage())
                .contains("bots[0] must be an object with \"botId\", \"enabled\" and \"settings\", found a string");
        assertThat(invalid("{\"bots\": {}}").getMessage()).contains("\"bots\" must be an array of bots, found an object");
        assertThat(invalid("{\"bots\": [], \"bots\": []}").getMessage()).contains("\"bots\" appears twice");
    }

    @Test
    void botSettingsRejectNestedObjectsNullsAndReservedKeysNamingTheBot() {
        InvalidSettingsException nested = invalid("""
                {"bots": [
                  {"settings": {"connectors": ["web"],
                     "limits": {"rounds": 3}}, "botId": "helper"}
                ]}
                """);
        assertThat(nested.getMessage()).isEqualTo("line 3, column 16: setting 'limits' of bot 'helper' is a nested "
                + "object; expected a string, number, boolean or an array of one of these");
        assertThat(invalid("{\"bots\":[{\"botId\":\"a\",\"settings\":{\"provider\":null}}]}").getMessage())
                .contains("setting 'provider' of bot 'a' is null");
        assertThat(invalid("{\"bots\":[{\"botId\":\"a\",\"settings\":{\"enabled\":false}}]}").getMessage())
                .contains("setting 'enabled' of bot 'a' is reserved");
        assertThat(invalid("{\"bots\":[{\"botId\":\"a\",\"settings\":{\"registries.target\":\"(x=1)\"}}]}")
                .getMessage()).contains("setting 'registries.target' of bot 'a' is reserved");
    }

    @Test
    void aPluginEntryCannotClaimTheBotsFactoryPid() {
        assertThat(invalid("{\"plugins\":[{\"instanceId\":\"a\",\"pluginId\":\"grambot-bot\"}]}").getMessage())
                .contains("plugins[0].pluginId names the factory PID of bots (grambot.bot); bots go in \"bots\"");
    }

    @Test
    void readingNotesWhereEachBotAndSettingIs() throws Exception {
        SettingsJson.Parsed parsed = SettingsJson.read("""
                {"bots": [
                  {"botId": "helper",
                   "settings": {"connectors": ["web"], "maxToolRounds": 50}}
                ]}
                """.getBytes(UTF_8));

        assertThat(parsed.positions().of(SettingsDocument.Kind.BOT, "helper", "maxToolRounds"))
                .hasToString("line 3, column 40");
        assertThat(parsed.positions().of(SettingsDocument.Kind.BOT, "helper", "provider"))
                .as("a key the file lacks: the entry").hasToString("line 2, column 3");
        assertThat(parsed.positions().of(SettingsDocument.Kind.PLUGIN, "helper", null)).isNull();
    }
}
