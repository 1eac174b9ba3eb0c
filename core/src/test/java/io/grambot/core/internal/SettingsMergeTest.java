package io.grambot.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.grambot.core.internal.SettingsDocument.Entry;

class SettingsMergeTest {

    private static Entry echo(String id, Map<String, Object> settings) {
        return Entry.instance(id, "echo", true, settings);
    }

    private static SettingsDocument doc(Entry... instances) {
        Map<String, Entry> plugins = new LinkedHashMap<>();
        for (Entry instance : instances) {
            plugins.put(instance.id(), instance);
        }
        return new SettingsDocument(plugins, Map.of());
    }

    private static SettingsMerge.Result merge(SettingsDocument base, SettingsDocument file, SettingsDocument config) {
        return SettingsMerge.merge(base, file, config);
    }

    @Test
    void aChangeOnOneSideWinsOverNoChangeOnTheOther() {
        SettingsDocument base = doc(echo("a", Map.of("x", 1L)), echo("b", Map.of("y", "old")));
        SettingsDocument file = doc(echo("a", Map.of("x", 2L)), echo("b", Map.of("y", "old")));
        SettingsDocument config = doc(echo("a", Map.of("x", 1L)), echo("b", Map.of("y", "new")));

        SettingsMerge.Result result = merge(base, file, config);

        assertThat(result.merged().plugins().get("a").settings()).containsExactlyEntriesOf(Map.of("x", 2L));
        assertThat(result.merged().plugins().get("b").settings()).containsExactlyEntriesOf(Map.of("y", "new"));
        assertThat(result.conflicts()).isEmpty();
    }

    @Test
    void editsToDifferentKeysOfOneInstanceBothSurvive() {
        SettingsDocument base = doc(echo("a", Map.of("x", 1L, "y", "one")));
        SettingsDocument file = doc(echo("a", Map.of("x", 2L, "y", "one", "added", true)));
        SettingsDocument config = doc(echo("a", Map.of("x", 1L, "y", "two")));

        Entry merged = merge(base, file, config).merged().plugins().get("a");

        assertThat(merged.settings()).isEqualTo(Map.of("x", 2L, "y", "two", "added", true));
    }

    @Test
    void additionsAndDeletionsOnEitherSideApply() {
        SettingsDocument base = doc(echo("keep", Map.of()), echo("goneInFile", Map.of()), echo("goneInConfig", Map.of()));
        SettingsDocument file = doc(echo("keep", Map.of()), echo("goneInConfig", Map.of()), echo("newInFile", Map.of()));
        SettingsDocument config = doc(echo("keep", Map.of()), echo("goneInFile", Map.of()), echo("newInConfig", Map.of()));

        assertThat(merge(base, file, config).merged().plugins()).containsOnlyKeys("keep", "newInFile", "newInConfig");
    }

    @Test
    void aDeletionLosesToAModificationOnTheOtherSide() {
        SettingsDocument base = doc(echo("a", Map.of("x", 1L)), echo("b", Map.of("x", 1L)));
        SettingsDocument file = doc(echo("b", Map.of("x", 2L))); // deleted a, modified b
        SettingsDocument config = doc(echo("a", Map.of("x", 3L))); // modified a, deleted b

        SettingsDocument merged = merge(base, file, config).merged();

        assertThat(merged.plugins().get("a").settings()).isEqualTo(Map.of("x", 3L));
        assertThat(merged.plugins().get("b").settings()).isEqualTo(Map.of("x", 2L));
    }

    @Test
    void aDeletedKeyLosesToAModifiedOne() {
        SettingsDocument base = doc(echo("a", Map.of("x", 1L, "y", 1L)));
        SettingsDocument file = doc(echo("a", Map.of("y", 2L)));
        SettingsDocument config = doc(echo("a", Map.of("x", 5L)));

        assertThat(merge(base, file, config).merged().plugins().get("a").settings())
                .isEqualTo(Map.of("x", 5L, "y", 2L));
    }

    @Test
    void aRealConflictKeepsTheFileValueAndNamesTheKeyButNotTheValues() {
        SettingsDocument base = doc(echo("a", Map.of("token", "base-s3cret")));
        SettingsDocument file = doc(echo("a", Map.of("token", "file-s3cret")));
        SettingsDocument config = doc(echo("a", Map.of("token", "config-s3cret")));

        SettingsMerge.Result result = merge(base, file, config);

        assertThat(result.merged().plugins().get("a").settings()).isEqualTo(Map.of("token", "file-s3cret"));
        assertThat(result.conflicts()).singleElement().asString().contains("instance 'a'", "setting 'token'")
                .doesNotContain("s3cret");
    }

    @Test
    void enabledAndPluginIdMergeAsFields() {
        SettingsDocument base = doc(echo("a", Map.of("x", 1L)));
        SettingsDocument file = doc(Entry.instance("a", "echo", false, Map.of("x", 1L)));
        SettingsDocument config = doc(echo("a", Map.of("x", 9L)));

        Entry merged = merge(base, file, config).merged().plugins().get("a");

        assertThat(merged.enabled()).isFalse();
        assertThat(merged.settings()).isEqualTo(Map.of("x", 9L));
        assertThat(merged.pluginId()).isEqualTo("echo");
    }

    @Test
    void withoutABaseBothSidesAreKeptAndTheFileWinsOnTheSameKey() {
        SettingsDocument file = doc(echo("a", Map.of("x", 1L, "fromFile", "f")));
        SettingsDocument config = doc(echo("a", Map.of("x", 2L, "fromConfig", "c")), echo("b", Map.of()));

        SettingsMerge.Result result = merge(SettingsDocument.EMPTY, file, config);

        assertThat(result.merged().plugins()).containsOnlyKeys("a", "b");
        assertThat(result.merged().plugins().get("a").settings())
                .isEqualTo(Map.of("x", 1L, "fromFile", "f", "fromConfig", "c"));
        assertThat(result.conflicts()).hasSize(1);
    }

    @Test
    void numbersCompareByValueSoATypeChangeIsNoEdit() {
        SettingsDocument base = doc(echo("a", Map.of("n", 5L, "d", 0.5)));
        SettingsDocument file = doc(echo("a", Map.of("n", 5.0, "d", 0.5)));
        SettingsDocument config = doc(echo("a", Map.of("n", 5L, "d", 0.75)));

        SettingsMerge.Result result = merge(base, file, config);

        assertThat(result.merged().plugins().get("a").settings()).isEqualTo(Map.of("n", 5L, "d", 0.75));
        assertThat(result.conflicts()).isEmpty();
        assertThat(result.merged().same(config)).isTrue();
    }

    @Test
    void theFilesOrderOfInstancesAndKeysIsKept() {
        Map<String, Object> fileSettings = new LinkedHashMap<>();
        fileSettings.put("zeta", 1L);
        fileSettings.put("alpha", 1L);
        SettingsDocument base = doc(echo("z", fileSettings), echo("a", Map.of()));
        SettingsDocument config = doc(echo("a", Map.of()), echo("z", Map.of("alpha", 1L, "zeta", 2L)));

        SettingsDocument merged = merge(base, base, config).merged();

        assertThat(merged.plugins().keySet()).containsExactly("z", "a");
        assertThat(merged.plugins().get("z").settings().keySet()).containsExactly("zeta", "alpha");
    }

    @Test
    void engineSettingsMergePerKey() {
        SettingsDocument base = new SettingsDocument(Map.of(), Map.of("language", "en", "limit", 10L));
        SettingsDocument file = new SettingsDocument(Map.of(), Map.of("language", "de", "limit", 10L));
        SettingsDocument config = new SettingsDocument(Map.of(), Map.of("language", "en", "limit", 20L,
                "tags", List.of("a", "b")));

        assertThat(merge(base, file, config).merged().engine())
                .isEqualTo(Map.of("language", "de", "limit", 20L, "tags", List.of("a", "b")));
    }

    @Test
    void unchangedSidesGiveTheBaseBack() {
        SettingsDocument base = doc(echo("a", Map.of("x", List.of(1L, 2L))));

        SettingsMerge.Result result = merge(base, base, base);

        assertThat(result.merged().same(base)).isTrue();
        assertThat(result.conflicts()).isEmpty();
    }

    // ---- bots

    private static SettingsDocument bots(Entry... bots) {
        Map<String, Entry> byId = new LinkedHashMap<>();
        for (Entry bot : bots) {
            byId.put(bot.id(), bot);
        }
        return new SettingsDocument(Map.of(), byId, Map.of());
    }

    private static Entry bot(String id, boolean enabled, Map<String, Object> settings) {
        return Entry.bot(id, enabled, settings);
    }

    @Test
    void botsMergePerBotAndPerKeyLikeInstances() {
        SettingsDocument base = bots(bot("a", true, Map.of("provider", "p1", "model", "m1")),
                bot("b", true, Map.of("provider", "p1")), bot("gone", true, Map.of()));
        SettingsDocument file = bots(bot("a", true, Map.of("provider", "p2", "model", "m1")),
                bot("b", false, Map.of("provider", "p1")), bot("gone", true, Map.of()), bot("new", true, Map.of()));
        SettingsDocument config = bots(bot("a", true, Map.of("provider", "p1", "model", "m2")),
                bot("b", true, Map.of("provider", "p1", "tools", List.of("*"))));

        SettingsMerge.Result result = merge(base, file, config);

        Map<String, Entry> merged = result.merged().bots();
        assertThat(merged).containsOnlyKeys("a", "b", "new");
        assertThat(merged.get("a").settings()).isEqualTo(Map.of("provider", "p2", "model", "m2"));
        assertThat(merged.get("b").enabled()).isFalse();
        assertThat(merged.get("b").settings()).isEqualTo(Map.of("provider", "p1", "tools", List.of("*")));
        assertThat(merged.get("b").kind()).isEqualTo(SettingsDocument.Kind.BOT);
        assertThat(result.merged().plugins()).isEmpty();
        assertThat(result.conflicts()).isEmpty();
    }

    @Test
    void aBotDeletionLosesToAModificationAndConflictsNameTheBot() {
        SettingsDocument base = bots(bot("a", true, Map.of("systemPrompt", "base-prompt")),
                bot("b", true, Map.of("model", "m")));
        SettingsDocument file = bots(bot("a", true, Map.of("systemPrompt", "file-prompt"))); // b deleted
        SettingsDocument config = bots(bot("a", true, Map.of("systemPrompt", "config-prompt")),
                bot("b", true, Map.of("model", "m2")));

        SettingsMerge.Result result = merge(base, file, config);

        assertThat(result.merged().bots().get("a").settings()).isEqualTo(Map.of("systemPrompt", "file-prompt"));
        assertThat(result.merged().bots().get("b").settings()).isEqualTo(Map.of("model", "m2"));
        assertThat(result.conflicts()).singleElement().asString().contains("bot 'a'", "setting 'systemPrompt'")
                .doesNotContain("base-prompt", "file-prompt", "config-prompt");
    }

    @Test
    void aBotAndAnInstanceWithTheSameIdAreDifferentEntries() {
        SettingsDocument file = new SettingsDocument(Map.of("main", echo("main", Map.of("x", 1L))),
                Map.of("main", bot("main", true, Map.of("provider", "p"))), Map.of());

        SettingsDocument merged = merge(SettingsDocument.EMPTY, file, SettingsDocument.EMPTY).merged();

        assertThat(merged.plugins().get("main").settings()).isEqualTo(Map.of("x", 1L));
        assertThat(merged.bots().get("main").settings()).isEqualTo(Map.of("provider", "p"));
        assertThat(merged.same(file)).isTrue();
        assertThat(merged.same(new SettingsDocument(file.plugins(), Map.of()))).as("without the bot").isFalse();
    }
}
