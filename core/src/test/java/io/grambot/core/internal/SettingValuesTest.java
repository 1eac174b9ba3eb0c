package io.grambot.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Vector;

import org.junit.jupiter.api.Test;

class SettingValuesTest {

    @Test
    void configurationValuesBecomeCanonical() {
        assertThat(SettingValues.fromConfig(5)).isEqualTo(5L);
        assertThat(SettingValues.fromConfig((short) 5)).isEqualTo(5L);
        assertThat(SettingValues.fromConfig(0.1f)).isEqualTo(0.1);
        assertThat(SettingValues.fromConfig('c')).isEqualTo("c");
        assertThat(SettingValues.fromConfig(new int[] { 1, 2 })).isEqualTo(List.of(1L, 2L));
        assertThat(SettingValues.fromConfig(new String[0])).isEqualTo(List.of());
        assertThat(SettingValues.fromConfig(new Vector<>(List.of(true)))).isEqualTo(List.of(true));
    }

    @Test
    void valuesJsonCannotHoldAreRecognised() {
        assertThat(SettingValues.fromConfig(new Object())).isNull();
        assertThat(SettingValues.fromConfig(new Vector<Object>(List.of(1, "x")))).isNull();
    }

    @Test
    void numbersCompareByValue() {
        assertThat(SettingValues.same(SettingValues.fromConfig(5), 5L)).isTrue();
        assertThat(SettingValues.same(5L, 5.0)).isTrue();
        assertThat(SettingValues.same(5L, 6L)).isFalse();
        assertThat(SettingValues.same(List.of(1L, 2L), List.of(1.0, 2L))).isTrue();
        assertThat(SettingValues.same("5", 5L)).isFalse();
    }

    @Test
    void numbersAreStoredInTheTypeTheConfigurationAlreadyUses() {
        assertThat(SettingValues.toConfig(7L, 3L)).isEqualTo(7L);
        assertThat(SettingValues.toConfig(7L, (short) 3)).isEqualTo((short) 7);
        assertThat(SettingValues.toConfig(7L, null)).isEqualTo(7);
        assertThat(SettingValues.toConfig(1L << 40, 3)).isEqualTo(1L << 40);
        assertThat(SettingValues.toConfig(0.5, null)).isEqualTo(0.5);
        assertThat(SettingValues.toConfig(0.5, 1.5f)).isEqualTo(0.5f);
    }

    @Test
    void listsBecomeArraysOfOneType() {
        assertThat(SettingValues.toConfig(List.of("a", "b"), null)).isEqualTo(new String[] { "a", "b" });
        assertThat(SettingValues.toConfig(List.of(1L, 2L), null)).isEqualTo(new Integer[] { 1, 2 });
        assertThat(SettingValues.toConfig(List.of(1L, 2.5), null)).isEqualTo(new Double[] { 1.0, 2.5 });
        assertThat(SettingValues.toConfig(List.of(1L), new long[] { 9 })).isEqualTo(new Long[] { 1L });
        assertThat(SettingValues.toConfig(List.of(), new Integer[] { 9 })).isEqualTo(new Integer[0]);
        assertThat(SettingValues.toConfig(List.of(true), null)).isEqualTo(new Boolean[] { true });
    }

    @Test
    void bookkeepingKeysAreRecognisedIgnoringCase() {
        assertThat(SettingValues.isBookkeeping("service.pid")).isTrue();
        assertThat(SettingValues.isBookkeeping("felix.fileinstall.filename")).isTrue();
        assertThat(SettingValues.isBookkeeping("pluginContext.target")).isTrue();
        assertThat(SettingValues.isBookkeeping("Enabled")).isTrue();
        assertThat(SettingValues.isBookkeeping("toolName")).isFalse();
    }
}
