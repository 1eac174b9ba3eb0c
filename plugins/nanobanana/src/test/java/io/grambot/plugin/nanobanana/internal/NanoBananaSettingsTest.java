package io.grambot.plugin.nanobanana.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NanoBananaSettingsTest {

    /** A configuration as DS would pass it: the declared defaults, with some values replaced. */
    private static NanoBananaGenerator.Config config(Map<String, Object> values) {
        return (NanoBananaGenerator.Config) Proxy.newProxyInstance(NanoBananaSettingsTest.class.getClassLoader(),
                new Class<?>[] {NanoBananaGenerator.Config.class}, (proxy, method, args) -> values
                        .getOrDefault(method.getName(), method.getDefaultValue()));
    }

    private static NanoBananaSettings settings(String baseUrl, String model) {
        return new NanoBananaSettings(baseUrl, model, ImageShape.DEFAULT, Duration.ofSeconds(1), 0);
    }

    @Test
    void theDefaultsAreGooglesAddressAndTheFlashModel() {
        NanoBananaSettings settings = NanoBananaSettings.of(config(Map.of()));

        assertThat(settings.baseUrl()).isEqualTo("https://generativelanguage.googleapis.com");
        assertThat(settings.model()).isEqualTo("gemini-2.5-flash-image");
        assertThat(settings.shape()).isEqualTo(ImageShape.DEFAULT);
        assertThat(settings.timeout()).isEqualTo(Duration.ofSeconds(120));
        assertThat(settings.maxRetries()).isEqualTo(3);
        assertThat(settings.googleItself()).isTrue();
        assertThat(settings.endpoint(GenerateContent.path(settings.model())).toString()).isEqualTo(
                "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash-image:generateContent");
    }

    @Test
    void theProModelWithAShapeIsRead() {
        NanoBananaSettings settings = NanoBananaSettings.of(config(Map.of("model", " models/gemini-3-pro-image-preview ",
                "aspectRatio", "21:9", "imageSize", "4k", "baseUrl", "http://127.0.0.1:8080/gemini/")));

        assertThat(settings.model()).isEqualTo("gemini-3-pro-image-preview");
        assertThat(settings.shape()).isEqualTo(new ImageShape(Optional.of("21:9"), Optional.of("4K")));
        assertThat(settings.baseUrl()).isEqualTo("http://127.0.0.1:8080/gemini");
        assertThat(settings.googleItself()).isFalse();
    }

    @Test
    void wrongSettingsSayWhatIsExpected() {
        assertThatThrownBy(() -> settings("https://generativelanguage.googleapis.com/v1beta/", "m"))
                .hasMessage("setting 'baseUrl' is the address without the API version (calls go to "
                        + "<baseUrl>/v1beta/models/<model>:generateContent), such as "
                        + "'https://generativelanguage.googleapis.com', was "
                        + "'https://generativelanguage.googleapis.com/v1beta/'");
        assertThatThrownBy(() -> settings("https://generativelanguage.googleapis.com?key=AIzaSySECRET", "m"))
                .hasMessageContaining("never put the API key in it").hasMessageNotContaining("AIzaSySECRET");
        assertThatThrownBy(() -> settings("ftp://example.com", "m")).hasMessageStartingWith(
                "setting 'baseUrl' must be an http or https URL without query");
        assertThatThrownBy(() -> settings("https://generativelanguage.googleapis.com", "gemini 2.5/flash"))
                .hasMessage("setting 'model' must be a model id such as 'gemini-2.5-flash-image' or "
                        + "'gemini-3-pro-image-preview' (letters, digits, '.', '_' and '-'), was 'gemini 2.5/flash'");
        assertThatThrownBy(() -> NanoBananaSettings.shape("7:5", "")).hasMessage("setting 'aspectRatio' must be "
                + "empty (the model's default) or one of 1:1, 2:3, 3:2, 3:4, 4:3, 4:5, 5:4, 9:16, 16:9, 21:9, was "
                + "'7:5'");
        assertThatThrownBy(() -> NanoBananaSettings.shape("", "8K")).hasMessage("setting 'imageSize' must be one of "
                + "1K, 2K, 4K (or empty for the model's default), was '8K'");
        assertThatThrownBy(() -> new NanoBananaSettings("https://x.example", "m", null, Duration.ZERO, 0))
                .hasMessage("setting 'timeoutSeconds' must be positive, was 0");
        assertThatThrownBy(() -> new NanoBananaSettings("https://x.example", "m", null, Duration.ofSeconds(1), -1))
                .hasMessage("setting 'maxRetries' must be 0 or more, was -1");
    }

    @ParameterizedTest
    @CsvSource({
            "16:9, 16:9, ''",
            "1792x1024, 16:9, ''",
            "1024x1024, 1:1, ''",
            "1024 X 1536, 2:3, ''",
            "1536×1024, 3:2, ''",
            "7:5, 4:3, ''",
            "2560x1080, 21:9, ''",
            "1080x1350, 4:5, ''",
            "portrait, 9:16, ''",
            "Square, 1:1, ''",
            "2k, '', 2K",
            "auto, '', ''",
            "'', '', ''" })
    void aRequestedSizeBecomesTheNearestSupportedShape(String size, String aspectRatio, String imageSize) {
        assertThat(ImageShape.ofSize(size)).isEqualTo(new ImageShape(Optional.of(aspectRatio).filter(s -> !s.isEmpty()),
                Optional.of(imageSize).filter(s -> !s.isEmpty())));
    }

    @Test
    void aSizeWithoutAreaIsRefused() {
        assertThatThrownBy(() -> ImageShape.ofSize("0x1024")).hasMessage("size must have a width and a height above "
                + "0, was '0x1024'");
        assertThatThrownBy(() -> ImageShape.aspectRatio("wide", "option 'aspectRatio'")).hasMessageStartingWith(
                "option 'aspectRatio' must be an aspect ratio such as 16:9 (supported: 1:1, 2:3,");
    }
}
