package io.grambot.plugin.anthropic.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An instance's settings, checked: a base URL without a trailing slash, the default model, the API version and token
 * limit. The secrets (API key, OAuth token) are not among them: they are read from the secrets store for every call.
 *
 * @param baseUrl for example {@code https://api.anthropic.com}; calls go to {@code <baseUrl>/v1/messages}
 * @param model the model used when a request names none
 * @param anthropicVersion the {@code anthropic-version} header
 * @param betas the {@code anthropic-beta} values sent with every call (without the OAuth one), possibly none
 * @param maxTokens the {@code max_tokens} of a request that sets no limit of its own
 * @param timeout the most time one call may take (for a stream: until it starts and between two pieces)
 * @param maxRetries how often a failed call is repeated
 */
record AnthropicSettings(String baseUrl, String model, String anthropicVersion, List<String> betas, int maxTokens,
        Duration timeout, int maxRetries) {

    static final String DEFAULT_BASE_URL = "https://api.anthropic.com";
    static final String DEFAULT_MODEL = "claude-sonnet-4-5";
    static final String DEFAULT_VERSION = "2023-06-01";

    AnthropicSettings {
        baseUrl = checkBaseUrl(baseUrl);
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("setting 'model' must name a model, for example '" + DEFAULT_MODEL
                    + "'");
        }
        model = model.strip();
        if (anthropicVersion == null || anthropicVersion.isBlank()) {
            throw new IllegalArgumentException("setting 'anthropicVersion' must name an API version, for example '"
                    + DEFAULT_VERSION + "'");
        }
        anthropicVersion = anthropicVersion.strip();
        betas = betas == null ? List.of() : List.copyOf(betas);
        if (maxTokens < 1) {
            throw new IllegalArgumentException("setting 'maxTokens' must be at least 1 (Anthropic needs a limit), was "
                    + maxTokens);
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("setting 'timeoutSeconds' must be positive, was "
                    + (timeout == null ? "none" : timeout.toSeconds()));
        }
        if (maxRetries < 0) {
            throw new IllegalArgumentException("setting 'maxRetries' must be 0 or more, was " + maxRetries);
        }
    }

    static AnthropicSettings of(AnthropicProvider.Config config) {
        return new AnthropicSettings(config.baseUrl(), config.model(), config.anthropicVersion(),
                betas(config.betas()), config.maxTokens(), Duration.ofSeconds(config.timeoutSeconds()),
                config.maxRetries());
    }

    /** The comma-separated {@code betas} setting as a list, without blanks. */
    static List<String> betas(String setting) {
        List<String> betas = new ArrayList<>();
        if (setting != null) {
            for (String beta : setting.split(",")) {
                if (!beta.isBlank() && !betas.contains(beta.strip())) {
                    betas.add(beta.strip());
                }
            }
        }
        return betas;
    }

    /** The URL of an endpoint below the base URL, for example {@code v1/messages}. */
    URI endpoint(String path) {
        return URI.create(baseUrl + "/" + path);
    }

    /** Whether calls go to Anthropic itself, which refuses every call without a credential. */
    boolean anthropicItself() {
        return URI.create(baseUrl).getHost().equalsIgnoreCase("api.anthropic.com");
    }

    private static String checkBaseUrl(String value) {
        String url = value == null ? "" : value.strip();
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        if (url.toLowerCase(Locale.ROOT).endsWith("/v1")) {
            throw new IllegalArgumentException("setting 'baseUrl' is the address without '/v1' (calls go to "
                    + "<baseUrl>/v1/messages), such as '" + DEFAULT_BASE_URL + "', was '" + value + "'");
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
