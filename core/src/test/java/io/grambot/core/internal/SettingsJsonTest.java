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
        SettingsDocument.Instance main = doc.plugins().get("main");
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
        Map<String, SettingsDocument.Instance> plugins = new LinkedHashMap<>();
        plugins.put("second", new SettingsDocument.Instance("second", "echo", false, settings));
        plugins.put("first", new SettingsDocument.Instance("first", "openai-codex", true, Map.of()));
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
}
