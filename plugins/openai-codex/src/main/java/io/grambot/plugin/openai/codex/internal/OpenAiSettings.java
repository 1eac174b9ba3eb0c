package io.grambot.plugin.openai.codex.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * An instance's settings, checked: a base URL without a trailing slash, the wire protocol, the default model. The
 * secrets (API key, access token) are not among them: they are read from the secrets store for every call.
 *
 * @param baseUrl for example {@code https://api.openai.com/v1} or {@code http://127.0.0.1:11434/v1}
 * @param api the wire protocol
 * @param model the model used when a request names none
 * @param organization the {@code OpenAI-Organization} header, or empty for none
 * @param accountId the {@code ChatGPT-Account-Id} header sent with a ChatGPT sign-in's access token, or empty
 * @param timeout the most time one call may take (for a stream: until it starts and between two pieces)
 * @param maxRetries how often a failed call is repeated
 * @param maxTokensParameter the request field the token limit goes in: {@code max_tokens} or
 *        {@code max_completion_tokens}
 */
record OpenAiSettings(String baseUrl, Api api, String model, String organization, String accountId, Duration timeout,
        int maxRetries, String maxTokensParameter) {

    /** Where a ChatGPT sign-in's access token works: OpenAI's Codex endpoint, which speaks the Responses API. */
    static final String CODEX_BASE_URL = "https://chatgpt.com/backend-api/codex";

    static final String AUTO = "auto";
    static final String MAX_TOKENS = "max_tokens";
    static final String MAX_COMPLETION_TOKENS = "max_completion_tokens";

    OpenAiSettings {
        baseUrl = checkBaseUrl(baseUrl);
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("setting 'model' must name a model, for example 'gpt-4.1-mini'");
        }
        model = model.strip();
        Objects.requireNonNull(api, "api");
        organization = organization == null ? "" : organization.strip();
        accountId = accountId == null ? "" : accountId.strip();
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("setting 'timeoutSeconds' must be positive, was " + timeout.toSeconds());
        }
        if (maxRetries < 0) {
            throw new IllegalArgumentException("setting 'maxRetries' must be 0 or more, was " + maxRetries);
        }
        maxTokensParameter = tokensParameter(maxTokensParameter, baseUrl);
    }

    static OpenAiSettings of(OpenAiCodexProvider.Config config) {
        return new OpenAiSettings(config.baseUrl(), Api.of(config.api()), config.model(), config.organization(),
                config.accountId(), Duration.ofSeconds(config.timeoutSeconds()), config.maxRetries(), config.maxTokensParameter());
    }

    /** The URL of an endpoint below the base URL, for example {@code chat/completions}. */
    URI endpoint(String path) {
        return URI.create(baseUrl + "/" + path);
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
        throw new IllegalArgumentException("setting 'baseUrl' must be an http or https URL without query, such as "
                + "'https://api.openai.com/v1' or 'http://127.0.0.1:11434/v1', was '" + value + "'");
    }

    /**
     * OpenAI's newer models refuse {@code max_tokens}; most compatible servers know only {@code max_tokens}. (The
     * Responses API has one field, {@code max_output_tokens}, so there this setting does not apply.)
     */
    private static String tokensParameter(String setting, String baseUrl) {
        String value = setting == null || setting.isBlank() ? AUTO : setting.strip();
        return switch (value) {
            case MAX_TOKENS, MAX_COMPLETION_TOKENS -> value;
            case AUTO -> URI.create(baseUrl).getHost().equalsIgnoreCase("api.openai.com") ? MAX_COMPLETION_TOKENS
                    : MAX_TOKENS;
            default -> throw new IllegalArgumentException("setting 'maxTokensParameter' must be 'auto', '"
                    + MAX_TOKENS + "' or '" + MAX_COMPLETION_TOKENS + "', was '" + value + "'");
        };
    }
}
