package io.grambot.plugin.nanobanana.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;

/**
 * An instance's settings, checked: a base URL without a trailing slash or API version, the model, the default image
 * shape, the timeout and retries. The API key is not among them: it is read from the secrets store for every call.
 *
 * @param baseUrl for example {@code https://generativelanguage.googleapis.com}; calls go to
 *        {@code <baseUrl>/v1beta/models/<model>:generateContent}
 * @param model the model id without the {@code models/} prefix, for example {@code gemini-2.5-flash-image}
 * @param shape the aspect ratio and size used when a request names none (each possibly empty: the model's default)
 * @param timeout the most time one call may take
 * @param maxRetries how often a failed call is repeated
 */
record NanoBananaSettings(String baseUrl, String model, ImageShape shape, Duration timeout, int maxRetries) {

    static final String DEFAULT_BASE_URL = "https://generativelanguage.googleapis.com";
    static final String DEFAULT_MODEL = "gemini-2.5-flash-image";
    static final String PRO_MODEL = "gemini-3-pro-image-preview";

    NanoBananaSettings {
        baseUrl = checkBaseUrl(baseUrl);
        model = checkModel(model);
        shape = shape == null ? ImageShape.DEFAULT : shape;
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("setting 'timeoutSeconds' must be positive, was "
                    + (timeout == null ? "none" : timeout.toSeconds()));
        }
        if (maxRetries < 0) {
            throw new IllegalArgumentException("setting 'maxRetries' must be 0 or more, was " + maxRetries);
        }
    }

    static NanoBananaSettings of(NanoBananaGenerator.Config config) {
        return new NanoBananaSettings(config.baseUrl(), config.model(),
                shape(config.aspectRatio(), config.imageSize()), Duration.ofSeconds(config.timeoutSeconds()),
                config.maxRetries());
    }

    /**
     * The default shape from the settings {@code aspectRatio} and {@code imageSize}: each empty or one of the values
     * the API lists.
     */
    static ImageShape shape(String aspectRatio, String imageSize) {
        String ratio = aspectRatio == null ? "" : aspectRatio.strip();
        if (!ratio.isEmpty() && !ImageShape.ASPECT_RATIOS.contains(ratio)) {
            throw new IllegalArgumentException("setting 'aspectRatio' must be empty (the model's default) or one of "
                    + String.join(", ", ImageShape.ASPECT_RATIOS) + ", was '" + aspectRatio + "'");
        }
        return new ImageShape(ImageShape.aspectRatio(ratio, "setting 'aspectRatio'"),
                ImageShape.imageSize(imageSize, "setting 'imageSize'"));
    }

    /** The URL of an endpoint below the base URL, for example {@code v1beta/models}. */
    URI endpoint(String path) {
        return URI.create(baseUrl + "/" + path);
    }

    /** Whether calls go to Google itself, which refuses every call without an API key. */
    boolean googleItself() {
        return URI.create(baseUrl).getHost().equalsIgnoreCase("generativelanguage.googleapis.com");
    }

    private static String checkModel(String value) {
        String model = value == null ? "" : value.strip();
        if (model.startsWith("models/")) {
            model = model.substring("models/".length()); // the form the model list uses
        }
        if (!model.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw new IllegalArgumentException("setting 'model' must be a model id such as '" + DEFAULT_MODEL + "' or '"
                    + PRO_MODEL + "' (letters, digits, '.', '_' and '-'), was '" + value + "'");
        }
        return model;
    }

    private static String checkBaseUrl(String value) {
        String url = value == null ? "" : value.strip();
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.endsWith("/v1beta") || lower.endsWith("/v1")) {
            throw new IllegalArgumentException("setting 'baseUrl' is the address without the API version (calls go "
                    + "to <baseUrl>/v1beta/models/<model>:generateContent), such as '" + DEFAULT_BASE_URL + "', was '"
                    + value + "'");
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
        throw new IllegalArgumentException("setting 'baseUrl' must be an http or https URL without query (never put "
                + "the API key in it: it goes into the secret 'apiKey'), such as '" + DEFAULT_BASE_URL + "', was '"
                + redactQuery(value) + "'");
    }

    /** A refused URL without its query, which may hold a key someone put there by mistake. */
    private static String redactQuery(String value) {
        if (value == null) {
            return null;
        }
        int query = value.indexOf('?');
        return query < 0 ? value : value.substring(0, query) + "?…";
    }
}
