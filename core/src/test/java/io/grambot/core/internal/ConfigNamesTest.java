package io.grambot.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConfigNamesTest {

    @Test
    void identifiersMapToPropertyNamesAsInDeclarativeServices() {
        assertThat(ConfigNames.identifierToKey("pollTimeout")).isEqualTo("pollTimeout");
        assertThat(ConfigNames.identifierToKey("base_url")).isEqualTo("base.url");
        assertThat(ConfigNames.identifierToKey("under__score")).isEqualTo("under_score");
        assertThat(ConfigNames.identifierToKey("api$_$key")).isEqualTo("api-key");
        assertThat(ConfigNames.identifierToKey("dollar$$sign")).isEqualTo("dollar$sign");
        assertThat(ConfigNames.identifierToKey("dropped$dollar")).isEqualTo("droppeddollar");
    }

    @Test
    void aSingleElementAnnotationIsNamedAfterItsType() {
        assertThat(ConfigNames.typeNameToKey("ServiceRanking")).isEqualTo("service.ranking");
        assertThat(ConfigNames.typeNameToKey("HTTPPort")).isEqualTo("httpport");
        assertThat(ConfigNames.methodsByProperty(MaxTokens.class)).containsOnlyKeys("max.tokens", "unit");
        assertThat(ConfigNames.isSingleElementAnnotation(Config.class)).isFalse();
    }

    @Test
    void aPrefixConstantPrefixesEveryName() {
        assertThat(ConfigNames.methodsByProperty(Config.class)).containsOnlyKeys("bot.base.url", "bot.value",
                "bot.api-key");
    }

    @interface MaxTokens {
        int value();

        String unit() default "tokens";
    }

    @interface Config {
        String PREFIX_ = "bot.";

        String base_url();

        String value();

        String api$_$key();
    }
}
