package io.grambot.plugin.brave.search.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The instance's settings and the model's arguments, checked before anything is sent. */
class SettingsTest {

    private static BraveSettings settings(String baseUrl) {
        return new BraveSettings("web_search", baseUrl, 5, "", "", "moderate", Duration.ofSeconds(20), 2);
    }

    private static final BraveSettings DEFAULTS = settings(BraveSettings.DEFAULT_BASE_URL);

    @Test
    void theDefaultsCallBravesEndpoint() {
        assertThat(DEFAULTS.searchEndpoint()).hasToString("https://api.search.brave.com/res/v1/web/search");
        assertThat(settings(" http://127.0.0.1:8080/proxy// ").searchEndpoint())
                .hasToString("http://127.0.0.1:8080/proxy/res/v1/web/search");
        BraveSettings normalized = new BraveSettings(" search ", "https://x", 20, " de ", "PT-BR", null,
                Duration.ofSeconds(1), 0);
        assertThat(normalized.toolName()).isEqualTo("search");
        assertThat(normalized.country()).isEqualTo("DE");
        assertThat(normalized.searchLang()).isEqualTo("pt-br");
        assertThat(normalized.safesearch()).isEqualTo("moderate");
    }

    @Test
    void badSettingsSayWhatIsExpected() {
        assertThatThrownBy(() -> settings("ftp://x")).hasMessage("setting 'baseUrl' must be an http or https URL "
                + "without query, such as 'https://api.search.brave.com', was 'ftp://x'");
        assertThatThrownBy(() -> settings("https://api.search.brave.com/res/v1/")).hasMessage("setting 'baseUrl' is "
                + "the address without the path (calls go to <baseUrl>/res/v1/web/search), such as "
                + "'https://api.search.brave.com', was 'https://api.search.brave.com/res/v1/'");
        assertThatThrownBy(() -> new BraveSettings("web search", "https://x", 5, "", "", "off", Duration.ofSeconds(1),
                0)).hasMessage("setting 'toolName' must be 1 to 64 letters, digits, '_' or '-', such as 'web_search', "
                        + "was 'web search'");
        assertThatThrownBy(() -> new BraveSettings("w", "https://x", 21, "", "", "off", Duration.ofSeconds(1), 0))
                .hasMessage("setting 'defaultCount' must be from 1 to 20, was 21");
        assertThatThrownBy(() -> new BraveSettings("w", "https://x", 5, "USA", "", "off", Duration.ofSeconds(1), 0))
                .hasMessage("setting 'country' must be empty, a two-letter country code such as US, DE or GB, or ALL, "
                        + "was 'USA'");
        assertThatThrownBy(() -> new BraveSettings("w", "https://x", 5, "", "german", "off", Duration.ofSeconds(1), 0))
                .hasMessage("setting 'searchLang' must be empty or a language code such as en, de, fr or pt-br, was "
                        + "'german'");
        assertThatThrownBy(() -> new BraveSettings("w", "https://x", 5, "", "", "none", Duration.ofSeconds(1), 0))
                .hasMessage("setting 'safesearch' must be 'off', 'moderate' or 'strict', was 'none'");
        assertThatThrownBy(() -> new BraveSettings("w", "https://x", 5, "", "", "off", Duration.ZERO, 0))
                .hasMessage("setting 'timeoutSeconds' must be positive, was 0");
        assertThatThrownBy(() -> new BraveSettings("w", "https://x", 5, "", "", "off", Duration.ofSeconds(1), -1))
                .hasMessage("setting 'maxRetries' must be 0 or more, was -1");
    }

    @Test
    void wholeNumbersAreTakenInTheFormsModelsSendThem() {
        for (Object count : List.of(3, 3L, 3.0, "3", " 3 ", new BigDecimal("3"))) {
            assertThat(SearchArguments.of(Map.of("query", "x", "count", count), DEFAULTS).count()).as("%s", count)
                    .isEqualTo(3);
        }
        assertThat(SearchArguments.of(Map.of("query", "x", "count", ""), DEFAULTS).count()).isEqualTo(5);
        for (Object count : List.of(3.5, "three", -1, 21, true, List.of(3))) {
            assertThatThrownBy(() -> SearchArguments.of(Map.of("query", "x", "count", count), DEFAULTS))
                    .as("%s", count).hasMessageStartingWith("argument 'count' must be an integer from 1 to 20, was ");
        }
    }

    @Test
    void absentNullAndBlankOptionalArgumentsFallBackToTheDefaults() {
        Map<String, Object> arguments = new HashMap<>();
        arguments.put("query", "  two   words ");
        arguments.put("count", null);
        arguments.put("country", null);
        arguments.put("search_lang", "");
        arguments.put("freshness", " ");

        SearchArguments search = SearchArguments.of(arguments, new BraveSettings("w", "https://x", 4, "fr", "fr",
                "strict", Duration.ofSeconds(1), 0));

        assertThat(search).isEqualTo(new SearchArguments("two words", 4, "FR", "fr", "strict", ""));
        assertThat(search.parameters()).containsExactly(Map.entry("q", "two words"), Map.entry("count", "4"),
                Map.entry("country", "FR"), Map.entry("search_lang", "fr"), Map.entry("safesearch", "strict"));
        assertThat(search.filtered()).isTrue();
        assertThat(SearchArguments.of(Map.of("query", "x", "country", "all"), DEFAULTS).filtered()).isFalse();
    }

    @Test
    void freshnessTakesPeriodsAndDateRanges() {
        assertThat(SearchArguments.of(Map.of("query", "x", "freshness", "PW"), DEFAULTS).freshness()).isEqualTo("pw");
        assertThat(SearchArguments.of(Map.of("query", "x", "freshness", "2024-02-29to2024-02-29"), DEFAULTS)
                .freshness()).isEqualTo("2024-02-29to2024-02-29");
        assertThatThrownBy(() -> SearchArguments.of(Map.of("query", "x", "freshness", "2024-1-1to2024-2-1"), DEFAULTS))
                .hasMessageStartingWith("argument 'freshness' must be pd (past day)");
    }

    @Test
    void valuesAreEncodedForTheQueryString() {
        assertThat(BraveConnection.encode("a b+c&d=e/ü€")).isEqualTo("a%20b%2Bc%26d%3De%2F%C3%BC%E2%82%AC");
    }
}
