package io.grambot.core.internal.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ConditionOpTest {

    @Test
    void numbersCompareNumericallyWhateverTheirType() {
        assertThat(ConditionOp.GT.test(150, 100)).isTrue();
        assertThat(ConditionOp.GT.test(100, 100)).isFalse();
        assertThat(ConditionOp.GTE.test(100, 100L)).isTrue();
        assertThat(ConditionOp.LT.test(9.5, 10)).isTrue();
        assertThat(ConditionOp.LTE.test(10.0, 10)).isTrue();
        assertThat(ConditionOp.EQ.test(1, 1.0)).isTrue();
        assertThat(ConditionOp.NE.test(1, 2)).isTrue();
        // a webhook's form data is text: it still compares as a number, not alphabetically ("9" > "10")
        assertThat(ConditionOp.GT.test("9", 10)).isFalse();
        assertThat(ConditionOp.GT.test("150", "100")).isTrue();
        assertThat(ConditionOp.EQ.test("150", 150)).isTrue();
    }

    @Test
    void textsAndOtherValues() {
        assertThat(ConditionOp.EQ.test("a", "a")).isTrue();
        assertThat(ConditionOp.EQ.test("a", "b")).isFalse();
        assertThat(ConditionOp.EQ.test(true, true)).isTrue();
        assertThat(ConditionOp.NE.test("a", null)).isTrue();
        assertThat(ConditionOp.LT.test("apple", "banana")).isTrue();
        assertThatThrownBy(() -> ConditionOp.GT.test(Map.of(), 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'gt' compares numbers or texts, not an object with the number 1");
    }

    @Test
    void containsLooksIntoTextsListsAndObjects() {
        assertThat(ConditionOp.CONTAINS.test("urgent: call back", "urgent")).isTrue();
        assertThat(ConditionOp.CONTAINS.test("fine", "urgent")).isFalse();
        assertThat(ConditionOp.CONTAINS.test(List.of(1, 2, 3), 2.0)).isTrue();
        assertThat(ConditionOp.CONTAINS.test(List.of("a"), "b")).isFalse();
        assertThat(ConditionOp.CONTAINS.test(Map.of("vip", true), "vip")).isTrue();
        assertThatThrownBy(() -> ConditionOp.CONTAINS.test(5, 5))
                .hasMessage("'contains' looks into a text, a list or an object, not the number 5");
    }

    @Test
    void existsAndNotExists() {
        assertThat(ConditionOp.EXISTS.test("x", null)).isTrue();
        assertThat(ConditionOp.EXISTS.test(0, null)).isTrue();
        assertThat(ConditionOp.EXISTS.test(null, null)).isFalse();
        assertThat(ConditionOp.EXISTS.test(Templates.MISSING, null)).isFalse();
        assertThat(ConditionOp.NOT_EXISTS.test(Templates.MISSING, null)).isTrue();
        assertThat(ConditionOp.NOT_EXISTS.test("", null)).isFalse();
    }
}
