package io.grambot.plugin.anthropic.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class AnthropicSettingsTest {

    /** A configuration as Configuration Admin would give it: the defaults, with some values changed. */
    static AnthropicProvider.Config config(Map<String, Object> values) {
        return (AnthropicProvider.Config) Proxy.newProxyInstance(AnthropicSettingsTest.class.getClassLoader(),
                new Class<?>[] {AnthropicProvider.Config.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "annotationType" -> AnthropicProvider.Config.class;
                    case "toString" -> "Config" + values;
                    case "hashCode" -> values.hashCode();
                    case "equals" -> proxy == args[0];
                    default -> values.containsKey(method.getName()) ? values.get(method.getName())
                            : method.getDefaultValue();
                });
    }

    private static AnthropicSettings settings(String baseUrl) {
        return new AnthropicSettings(baseUrl, "claude-sonnet-4-5", "2023-06-01", List.of(), 1024,
                Duration.ofSeconds(30), 0);
    }

    @Test
    void theDefaultsAddressAnthropicItself() {
        AnthropicSettings settings = AnthropicSettings.of(config(Map.of()));

        assertThat(settings).isEqualTo(new AnthropicSettings("https://api.anthropic.com", "claude-sonnet-4-5",
                "2023-06-01", List.of(), 4096, Duration.ofSeconds(300), 3));
        assertThat(settings.anthropicItself()).isTrue();
        assertThat(settings.endpoint(AnthropicConnection.MESSAGES))
                .hasToString("https://api.anthropic.com/v1/messages");
    }

    @Test
    void theConfigurationIsReadAndTidied() {
        AnthropicSettings settings = AnthropicSettings.of(config(Map.of("baseUrl", " http://127.0.0.1:8080/proxy// ",
                "model", " claude-haiku-4-5 ", "anthropicVersion", " 2023-06-01 ",
                "betas", " context-1m-2025-08-07, ,files-api-2025-04-14,context-1m-2025-08-07,",
                "maxTokens", 512, "timeoutSeconds", 20, "maxRetries", 0)));

        assertThat(settings.baseUrl()).isEqualTo("http://127.0.0.1:8080/proxy");
        assertThat(settings.model()).isEqualTo("claude-haiku-4-5");
        assertThat(settings.anthropicVersion()).isEqualTo("2023-06-01");
        assertThat(settings.betas()).containsExactly("context-1m-2025-08-07", "files-api-2025-04-14");
        assertThat(settings.maxTokens()).isEqualTo(512);
        assertThat(settings.timeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(settings.maxRetries()).isZero();
        assertThat(settings.anthropicItself()).isFalse();
        assertThat(settings.endpoint(AnthropicConnection.MODELS + "?limit=5"))
                .hasToString("http://127.0.0.1:8080/proxy/v1/models?limit=5");
    }

    @Test
    void betasAreSplitAtCommas() {
        assertThat(AnthropicSettings.betas(null)).isEmpty();
        assertThat(AnthropicSettings.betas(" ")).isEmpty();
        assertThat(AnthropicSettings.betas("a,b , a")).containsExactly("a", "b");
        assertThat(new AnthropicSettings("http://h", "m", "v", null, 1, Duration.ofSeconds(1), 0).betas()).isEmpty();
    }

    @Test
    void anthropicIsRecognisedWhateverTheSpelling() {
        assertThat(settings("https://API.Anthropic.com/").anthropicItself()).isTrue();
        assertThat(settings("https://api.anthropic.com.example.org").anthropicItself()).isFalse();
    }

    @Test
    void aBaseUrlWithV1IsRefused() {
        assertThatThrownBy(() -> settings("https://api.anthropic.com/v1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("setting 'baseUrl' is the address without '/v1' (calls go to <baseUrl>/v1/messages), "
                        + "such as 'https://api.anthropic.com', was 'https://api.anthropic.com/v1'");
        assertThatThrownBy(() -> settings("http://127.0.0.1:4000/V1/")).hasMessageStartingWith(
                "setting 'baseUrl' is the address without '/v1'").hasMessageEndingWith("was 'http://127.0.0.1:4000/V1/'");
    }

    @Test
    void aBaseUrlThatIsNotHttpIsRefused() {
        for (String bad : new String[] {"ftp://api.anthropic.com", "api.anthropic.com", "", "http://", "http://h?x=1",
                "https://h/#top", "http://bad host"}) {
            assertThatThrownBy(() -> settings(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("setting 'baseUrl' must be an http or https URL without query, such as "
                            + "'https://api.anthropic.com', was '" + bad + "'");
        }
        assertThatThrownBy(() -> settings(null)).hasMessageEndingWith("was 'null'");
    }

    @Test
    void theOtherSettingsAreChecked() {
        assertThatThrownBy(() -> new AnthropicSettings("http://h", " ", "v", List.of(), 1, Duration.ofSeconds(1), 0))
                .hasMessage("setting 'model' must name a model, for example 'claude-sonnet-4-5'");
        assertThatThrownBy(() -> new AnthropicSettings("http://h", "m", "", List.of(), 1, Duration.ofSeconds(1), 0))
                .hasMessage("setting 'anthropicVersion' must name an API version, for example '2023-06-01'");
        assertThatThrownBy(() -> new AnthropicSettings("http://h", "m", "v", List.of(), 0, Duration.ofSeconds(1), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("setting 'maxTokens' must be at least 1 (Anthropic needs a limit), was 0");
        assertThatThrownBy(() -> new AnthropicSettings("http://h", "m", "v", List.of(), 1, Duration.ZERO, 0))
                .hasMessage("setting 'timeoutSeconds' must be positive, was 0");
        assertThatThrownBy(() -> new AnthropicSettings("http://h", "m", "v", List.of(), 1, null, 0))
                .hasMessage("setting 'timeoutSeconds' must be positive, was none");
        assertThatThrownBy(() -> new AnthropicSettings("http://h", "m", "v", List.of(), 1, Duration.ofSeconds(1), -1))
                .hasMessage("setting 'maxRetries' must be 0 or more, was -1");
        assertThatThrownBy(() -> AnthropicSettings.of(config(Map.of("maxTokens", 0))))
                .hasMessageStartingWith("setting 'maxTokens' must be at least 1");
    }
}
