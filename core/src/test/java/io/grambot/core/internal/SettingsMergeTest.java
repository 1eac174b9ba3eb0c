package io.grambot.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.grambot.core.internal.SettingsDocument.Instance;

class SettingsMergeTest {

    private static Instance echo(String id, Map<String, Object> settings) {
        return new Instance(id, "echo", true, settings);
    }

    private static SettingsDocument doc(Instance... instances) {
        Map<String, Instance> plugins = new LinkedHashMap<>();
        for (Instance instance : instances) {
            plugins.put(instance.instanceId(), instance);
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

        Instance merged = merge(base, file, config).merged().plugins().get("a");

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
        SettingsDocument file = doc(new Instance("a", "echo", false, Map.of("x", 1L)));
        SettingsDocument config = doc(echo("a", Map.of("x", 9L)));

        Instance merged = merge(base, file, config).merged().plugins().get("a");

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
}
