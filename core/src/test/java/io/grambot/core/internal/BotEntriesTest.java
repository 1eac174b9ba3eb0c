package io.grambot.core.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.osgi.service.metatype.AttributeDefinition.BOOLEAN;
import static org.osgi.service.metatype.AttributeDefinition.INTEGER;
import static org.osgi.service.metatype.AttributeDefinition.STRING;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.grambot.core.internal.FakeMetatype.Ad;
import io.grambot.core.internal.FakeMetatype.Ocd;
import io.grambot.core.internal.SettingsDocument.Entry;

/** Bot entries of {@code settings.json} are checked against the bot declaration before they reach ConfigAdmin. */
class BotEntriesTest {

    /** A declaration shaped like {@link BotComponent.Config}. */
    private static final SettingsSchema BOT = SettingsSchema.of(Ocd.of("bot",
            Ad.of("enabled", BOOLEAN).defaults("true"),
            Ad.of("connectors", STRING).cardinality(Integer.MAX_VALUE),
            Ad.of("provider", STRING).optional().defaults(""),
            Ad.of("maxToolRounds", INTEGER).defaults("5")),
            Map.of("maxToolRounds", new MetatypeXml.Bounds("1", "20")), null);

    private static SettingsJson.Parsed file(String json) throws Exception {
        return SettingsJson.read(json.getBytes(UTF_8));
    }

    private static Optional<String> check(SettingsJson.Parsed file, SettingsDocument config) {
        SettingsDocument merged = SettingsMerge.merge(SettingsDocument.EMPTY, file.document(), config).merged();
        return SettingsFileSync.invalidBot(merged, config, BOT, file.positions());
    }

    private static SettingsDocument config(Entry bot) {
        return new SettingsDocument(Map.of(), Map.of(bot.id(), bot), Map.of());
    }

    @Test
    void aValidBotPasses() throws Exception {
        assertThat(check(file("""
                {"bots": [{"botId": "b", "settings": {"connectors": ["web"], "maxToolRounds": 7}}]}
                """), SettingsDocument.EMPTY)).isEmpty();
    }

    @Test
    void aWrongTypeIsReportedAtItsKey() throws Exception {
        Optional<String> problem = check(file("""
                {"bots": [
                  {"botId": "b",
                   "settings": {"connectors": ["web"], "maxToolRounds": "many"}}
                ]}
                """), SettingsDocument.EMPTY);

        assertThat(problem).contains("line 3, column 40: bot 'b': setting 'maxToolRounds' must be an integer "
                + "(was 'many')");
    }

    @Test
    void aValueOutOfRangeAndAMissingRequiredSettingAreReported() throws Exception {
        assertThat(check(file("{\"bots\": [{\"botId\": \"b\", \"settings\": {\"connectors\": [\"web\"], "
                + "\"maxToolRounds\": 50}}]}"), SettingsDocument.EMPTY).orElseThrow())
                .endsWith("bot 'b': setting 'maxToolRounds' must be at most 20 (was 50)");
        assertThat(check(file("{\"bots\": [\n {\"botId\": \"b\", \"settings\": {\"provider\": \"p\"}}]}"),
                SettingsDocument.EMPTY)).contains("line 2, column 2: bot 'b': setting 'connectors' is required");
    }

    @Test
    void aKeyThatIsNoBotSettingIsRefusedNamingTheKnownOnes() throws Exception {
        assertThat(check(file("{\"bots\": [{\"botId\": \"b\", \"settings\": {\"connectors\": \"web\", "
                + "\"systemPromt\": \"typo\"}}]}"), SettingsDocument.EMPTY).orElseThrow())
                .endsWith("bot 'b': setting 'systemPromt' is not a bot setting; expected one of connectors, provider, "
                        + "maxToolRounds");
    }

    @Test
    void whatConfigAdminAlreadyHoldsDoesNotBlockTheFile() throws Exception {
        // the web console or a .cfg file put an out-of-range value and an unknown key; the file edits another key
        SettingsDocument config = config(Entry.bot("b", true,
                Map.of("connectors", List.of("web"), "maxToolRounds", 99L, "legacy", "x")));

        assertThat(check(file("{\"bots\": [{\"botId\": \"b\", \"settings\": {\"connectors\": [\"web\"], "
                + "\"maxToolRounds\": 99, \"legacy\": \"x\", \"provider\": \"p\"}}]}"), config)).isEmpty();
        assertThat(check(file("{\"bots\": [{\"botId\": \"b\", \"settings\": {\"connectors\": [\"web\"], "
                + "\"maxToolRounds\": 98, \"legacy\": \"x\"}}]}"), config).orElseThrow())
                .as("but a new value from the file is checked")
                .endsWith("setting 'maxToolRounds' must be at most 20 (was 98)");
        assertThat(check(file("{\"bots\": [{\"botId\": \"b\", \"enabled\": false, \"settings\": {\"connectors\": "
                + "[\"web\"], \"maxToolRounds\": 99, \"legacy\": \"x\"}}]}"), config))
                .as("disabling is no settings change").isEmpty();
    }

    @Test
    void removingARequiredSettingInTheFileIsRefused() throws Exception {
        SettingsDocument config = config(Entry.bot("b", true, Map.of("connectors", List.of("web"))));
        SettingsJson.Parsed edited = file("{\"bots\": [{\"botId\": \"b\", \"settings\": {}}]}");
        // the base says both sides held connectors, so the file's removal wins the merge
        SettingsDocument merged = SettingsMerge.merge(config, edited.document(), config).merged();

        assertThat(SettingsFileSync.invalidBot(merged, config, BOT, edited.positions()))
                .contains("line 1, column 11: bot 'b': setting 'connectors' is required");
    }

    @Test
    void pluginInstancesAreNotCheckedHere() throws Exception {
        assertThat(check(file("{\"plugins\": [{\"instanceId\": \"b\", \"pluginId\": \"echo\", "
                + "\"settings\": {\"maxToolRounds\": \"many\"}}]}"), SettingsDocument.EMPTY)).isEmpty();
    }
}
