package io.grambot.plugin.gpt.image.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * An instance's settings, checked: a base URL without a trailing slash, the model and the defaults of every request.
 * The API key is not among them: it is read from the secrets store for every call.
 *
 * @param baseUrl for example {@code https://api.openai.com/v1}; calls go to {@code <baseUrl>/images/generations}
 * @param organization the {@code OpenAI-Organization} header, or empty for none
 * @param model the image model, for example {@code gpt-image-1}
 * @param size a request's size unless it names one: {@code 1024x1024}, ... or {@code auto}
 * @param quality a request's quality unless it names one: {@code low}, {@code medium}, {@code high} or {@code auto}
 * @param outputFormat the file format of the images unless a request names one
 * @param background {@code auto}, {@code transparent} or {@code opaque} unless a request names one
 * @param moderation {@code auto} or {@code low} unless a request names one
 * @param maxImages the most images one request may ask for
 * @param timeout the most time one call may take (a generation takes up to minutes)
 * @param maxRetries how often a failed call is repeated
 */
record GptImageSettings(String baseUrl, String organization, String model, String size, String quality,
        ImageFormat outputFormat, String background, String moderation, int maxImages, Duration timeout,
        int maxRetries) {

    static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";
    static final String DEFAULT_MODEL = "gpt-image-1";
    static final String DALL_E_3 = "dall-e-3";
    static final String AUTO = "auto";
    static final String TRANSPARENT = "transparent";

    static final List<String> SIZES = List.of("1024x1024", "1536x1024", "1024x1536", AUTO);
    static final List<String> DALL_E_3_SIZES = List.of("1024x1024", "1792x1024", "1024x1792", AUTO);
    static final List<String> QUALITIES = List.of("low", "medium", "high", AUTO);
    /** dall-e-3's own qualities, and the GPT image ones, which are mapped to them. */
    static final List<String> DALL_E_3_QUALITIES = List.of("standard", "hd", "low", "medium", "high", AUTO);
    static final List<String> BACKGROUNDS = List.of(AUTO, TRANSPARENT, "opaque");
    static final List<String> MODERATIONS = List.of(AUTO, "low");
    /** The most images OpenAI makes in one call ({@code n}). */
    static final int MAX_IMAGES = 10;

    /** The model families, which take different request fields. */
    enum Family {
        /** {@code gpt-image-1}, {@code gpt-image-1-mini} and their successors: always base64, edits, all options. */
        GPT_IMAGE,
        /** {@code dall-e-3}: one image per call, no edits, {@code standard}/{@code hd}, base64 only when asked. */
        DALL_E_3;

        static Family of(String model) {
            if (model.equals(GptImageSettings.DALL_E_3)) {
                return DALL_E_3;
            }
            if (model.startsWith("dall-e")) {
                throw new IllegalArgumentException("setting 'model' must be a GPT image model (such as '"
                        + DEFAULT_MODEL + "' or 'gpt-image-1-mini') or '" + GptImageSettings.DALL_E_3
                        + "', was '" + model + "'");
            }
            return GPT_IMAGE;
        }

        List<String> sizes() {
            return this == DALL_E_3 ? DALL_E_3_SIZES : SIZES;
        }

        List<String> qualities() {
            return this == DALL_E_3 ? DALL_E_3_QUALITIES : QUALITIES;
        }
    }

    GptImageSettings {
        baseUrl = checkBaseUrl(baseUrl);
        organization = organization == null ? "" : organization.strip();
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("setting 'model' must name an image model, for example '"
                    + DEFAULT_MODEL + "'");
        }
        model = model.strip();
        Family family = Family.of(model);
        size = oneOf(size, family.sizes(), "setting 'size' (model '" + model + "')");
        quality = oneOf(quality, QUALITIES, "setting 'quality'");
        Objects.requireNonNull(outputFormat, "outputFormat");
        background = oneOf(background, BACKGROUNDS, "setting 'background'");
        moderation = oneOf(moderation, MODERATIONS, "setting 'moderation'");
        if (background.equals(TRANSPARENT) && outputFormat == ImageFormat.JPEG) {
            throw new IllegalArgumentException("setting 'background' transparent needs outputFormat 'png' or 'webp' "
                    + "(JPEG has no transparency), was 'jpeg'");
        }
        if (family == Family.DALL_E_3 && (outputFormat != ImageFormat.PNG || !background.equals(AUTO)
                || !moderation.equals(AUTO))) {
            throw new IllegalArgumentException("model '" + DALL_E_3 + "' makes PNG images and takes no background or "
                    + "moderation: leave outputFormat=png, background=auto and moderation=auto, or choose a GPT image "
                    + "model such as '" + DEFAULT_MODEL + "'");
        }
        if (maxImages < 1 || maxImages > MAX_IMAGES) {
            throw new IllegalArgumentException("setting 'maxImages' must be between 1 and " + MAX_IMAGES
                    + " (OpenAI's limit), was " + maxImages);
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("setting 'timeoutSeconds' must be positive, was "
                    + (timeout == null ? "none" : timeout.toSeconds()));
        }
        if (maxRetries < 0) {
            throw new IllegalArgumentException("setting 'maxRetries' must be 0 or more, was " + maxRetries);
        }
    }

    static GptImageSettings of(GptImageGenerator.Config config) {
        return new GptImageSettings(config.baseUrl(), config.organization(), config.model(), config.size(),
                config.quality(), ImageFormat.of(config.outputFormat(), "setting 'outputFormat'"), config.background(),
                config.moderation(), config.maxImages(), Duration.ofSeconds(config.timeoutSeconds()),
                config.maxRetries());
    }

    Family family() {
        return Family.of(model);
    }

    /** The URL of an endpoint below the base URL, for example {@code images/generations}. */
    URI endpoint(String path) {
        return URI.create(baseUrl + "/" + path);
    }

    /** Whether calls go to OpenAI itself, which refuses every call without an API key. */
    boolean openAiItself() {
        return URI.create(baseUrl).getHost().equalsIgnoreCase("api.openai.com");
    }

    /**
     * The value, stripped and in lower case, if it is one of {@code allowed}.
     *
     * @param what the setting or option, for the message: {@code setting 'quality'}
     * @throws IllegalArgumentException if it is not
     */
    static String oneOf(String value, List<String> allowed, String what) {
        String normalized = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        if (allowed.contains(normalized)) {
            return normalized;
        }
        throw new IllegalArgumentException(what + " must be one of "
                + allowed.stream().map(v -> "'" + v + "'").collect(Collectors.joining(", ")) + ", was '" + value
                + "'");
    }

    private static String checkBaseUrl(String value) {
        String url = value == null ? "" : value.strip();
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null && uri.getQuery() == null
                    && uri.getFragment() == null) {
                return url;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new IllegalArgumentException("setting 'baseUrl' must be an http or https URL without query, such as '"
                + DEFAULT_BASE_URL + "', was '" + value + "'");
    }
}
