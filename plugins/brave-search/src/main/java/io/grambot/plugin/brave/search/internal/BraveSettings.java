package io.grambot.plugin.brave.search.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An instance's settings, checked: the tool name, a base URL without a trailing slash, and the search defaults a call
 * may override. The API key is not among them: it is read from the secrets store for every call.
 *
 * @param toolName the name the model calls the tool by
 * @param baseUrl for example {@code https://api.search.brave.com}; calls go to {@code <baseUrl>/res/v1/web/search}
 * @param defaultCount how many results a call that names no count asks for, 1 to {@value #MAX_COUNT}
 * @param country the two-letter country code results come from (upper case, or {@code ALL}), or empty for Brave's
 *        default
 * @param searchLang the language code of the results (lower case, such as {@code en} or {@code pt-br}), or empty for
 *        Brave's default
 * @param safesearch {@code off}, {@code moderate} or {@code strict}
 * @param timeout the most time one call may take
 * @param maxRetries how often a failed call is repeated
 */
record BraveSettings(String toolName, String baseUrl, int defaultCount, String country, String searchLang,
        String safesearch, Duration timeout, int maxRetries) {

    static final String DEFAULT_BASE_URL = "https://api.search.brave.com";
    static final String DEFAULT_TOOL_NAME = "web_search";
    /** The path of the web search endpoint below the base URL. */
    static final String SEARCH_PATH = "res/v1/web/search";
    /** The most results Brave returns for one web search. */
    static final int MAX_COUNT = 20;
    static final List<String> SAFESEARCH = List.of("off", "moderate", "strict");

    static final Pattern TOOL_NAME = Pattern.compile("^[A-Za-z0-9_-]{1,64}$");
    /** A country code as Brave takes it: two letters (ISO 3166-1 alpha-2), or {@code ALL} for every country. */
    static final Pattern COUNTRY = Pattern.compile("^([A-Za-z]{2}|[Aa][Ll][Ll])$");
    /** A language code as Brave takes it: {@code en}, {@code de}, {@code en-gb}, {@code pt-br}, {@code zh-hans}. */
    static final Pattern LANGUAGE = Pattern.compile("^[A-Za-z]{2}(-[A-Za-z]{2,4})?$");

    BraveSettings {
        toolName = toolName == null ? "" : toolName.strip();
        if (!TOOL_NAME.matcher(toolName).matches()) {
            throw new IllegalArgumentException("setting 'toolName' must be 1 to 64 letters, digits, '_' or '-', "
                    + "such as '" + DEFAULT_TOOL_NAME + "', was '" + toolName + "'");
        }
        baseUrl = checkBaseUrl(baseUrl);
        if (defaultCount < 1 || defaultCount > MAX_COUNT) {
            throw new IllegalArgumentException("setting 'defaultCount' must be from 1 to " + MAX_COUNT + ", was "
                    + defaultCount);
        }
        country = country == null ? "" : country.strip();
        if (!country.isEmpty() && !COUNTRY.matcher(country).matches()) {
            throw new IllegalArgumentException("setting 'country' must be empty, a two-letter country code such as "
                    + "US, DE or GB, or ALL, was '" + country + "'");
        }
        country = country.toUpperCase(Locale.ROOT);
        searchLang = searchLang == null ? "" : searchLang.strip();
        if (!searchLang.isEmpty() && !LANGUAGE.matcher(searchLang).matches()) {
            throw new IllegalArgumentException("setting 'searchLang' must be empty or a language code such as en, "
                    + "de, fr or pt-br, was '" + searchLang + "'");
        }
        searchLang = searchLang.toLowerCase(Locale.ROOT);
        safesearch = safesearch == null || safesearch.isBlank() ? "moderate" : safesearch.strip();
        if (!SAFESEARCH.contains(safesearch)) {
            throw new IllegalArgumentException("setting 'safesearch' must be 'off', 'moderate' or 'strict', was '"
                    + safesearch + "'");
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("setting 'timeoutSeconds' must be positive, was "
                    + (timeout == null ? "none" : timeout.toSeconds()));
        }
        if (maxRetries < 0) {
            throw new IllegalArgumentException("setting 'maxRetries' must be 0 or more, was " + maxRetries);
        }
    }

    static BraveSettings of(BraveSearchTool.Config config) {
        return new BraveSettings(config.toolName(), config.baseUrl(), config.defaultCount(), config.country(),
                config.searchLang(), config.safesearch(), Duration.ofSeconds(config.timeoutSeconds()),
                config.maxRetries());
    }

    /** The URL of the web search endpoint. */
    URI searchEndpoint() {
        return URI.create(baseUrl + "/" + SEARCH_PATH);
    }

    private static String checkBaseUrl(String value) {
        String url = value == null ? "" : value.strip();
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        if (url.toLowerCase(Locale.ROOT).endsWith("/res/v1") || url.toLowerCase(Locale.ROOT).endsWith("/web/search")) {
            throw new IllegalArgumentException("setting 'baseUrl' is the address without the path (calls go to "
                    + "<baseUrl>/" + SEARCH_PATH + "), such as '" + DEFAULT_BASE_URL + "', was '" + value + "'");
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
