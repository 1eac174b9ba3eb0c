package io.grambot.plugin.brave.search.internal;

import static io.grambot.plugin.brave.search.internal.FakeBrave.answer;
import static io.grambot.plugin.brave.search.internal.FakeBrave.drop;
import static io.grambot.plugin.brave.search.internal.FakeBrave.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.grambot.api.ConnectionTestResult;
import io.grambot.api.PluginConstants;
import io.grambot.api.PluginException;
import io.grambot.api.Secret;
import io.grambot.api.tool.ToolContext;
import io.grambot.api.tool.ToolResult;
import io.grambot.http.HttpException;
import io.grambot.http.HttpLog;

class BraveSearchToolTest {

    private static final String KEY = "BSAtestKEY0123456789abcdefghijklm";

    /** Brave's documented web search answer (trimmed to the fields that matter, plus a few it always sends). */
    private static final String ANSWER = """
            {"type":"search",
             "query":{"original":"osgi declarative services","show_strict_warning":false,"is_navigational":false,
               "is_news_breaking":false,"spellcheck_off":true,"country":"us","bad_results":false,
               "should_fallback":false,"more_results_available":true},
             "mixed":{"type":"mixed","main":[{"type":"web","index":0,"all":false},{"type":"web","index":1,
               "all":false},{"type":"web","index":2,"all":false}],"top":[],"side":[]},
             "web":{"type":"search","family_friendly":true,"results":[
               {"title":"<strong>OSGi</strong> Compendium: <strong>Declarative Services</strong> Specification",
                "url":"https://docs.osgi.org/specification/osgi.cmpn/8.1.0/service.component.html",
                "is_source_local":false,"is_source_both":false,
                "description":"The <strong>Declarative Services</strong> specification &amp; its &quot;component&quot; model &#8212; lazy activation, &lt;reference&gt; elements.",
                "page_age":"2023-05-11T00:00:00","language":"en","family_friendly":true,"type":"search_result",
                "subtype":"generic","meta_url":{"scheme":"https","netloc":"docs.osgi.org","hostname":"docs.osgi.org",
                "favicon":"https://imgs.search.brave.com/x.png","path":"› specification › osgi.cmpn"},
                "age":"May 11, 2023","extra_snippets":["Declarative Services (DS) is a component model."]},
               {"title":"Apache Felix SCR","url":"https://felix.apache.org/documentation/subprojects/apache-felix-service-component-runtime.html",
                "description":"","page_age":"2024-02-01T10:00:00","type":"search_result",
                "meta_url":{"hostname":"felix.apache.org"},
                "extra_snippets":["The <b>Service Component Runtime</b> implements DS.","Second snippet."]},
               {"title":"Declarative Services in   practice","url":"https://example.org/ds",
                "description":"Constructor injection\\nwith <em>typed</em> configuration…","type":"search_result",
                "meta_url":{"hostname":"example.org"}}]}}
            """;

    private static final String EMPTY_ANSWER = """
            {"type":"search","query":{"original":"qwxzv plorb","show_strict_warning":false,"spellcheck_off":true,
             "more_results_available":false},"mixed":{"type":"mixed","main":[],"top":[],"side":[]}}""";

    /** Brave's rate limit headers: 1 request a second, 15000 a month, per its response headers documentation. */
    private static Map<String, String> limits(String remaining, String reset) {
        return Map.of("X-RateLimit-Limit", "1, 15000", "X-RateLimit-Policy", "1;w=1, 15000;w=2592000",
                "X-RateLimit-Remaining", remaining, "X-RateLimit-Reset", reset);
    }

    private static String error(int status, String code, String detail) {
        return "{\"type\":\"ErrorResponse\",\"error\":{\"id\":\"2f1d3b4e-8c1a-4d2e-9b7a-0e6c5f4a3b2c\",\"status\":"
                + status + ",\"code\":\"" + code + "\",\"detail\":\"" + detail + "\",\"meta\":{\"plan\":\"Free\","
                + "\"rate_limit\":1,\"rate_current\":1,\"quota_limit\":15000,\"quota_current\":15000,"
                + "\"component\":\"rate_limiter\"}},\"time\":1719830400}";
    }

    private final FakeBrave server;
    private final List<Duration> sleeps = new CopyOnWriteArrayList<>();
    private final List<String> logLines = new CopyOnWriteArrayList<>();
    /** Every message a test saw: errors, results, connection test reasons. */
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final AtomicReference<Optional<Secret>> key = new AtomicReference<>(Optional.of(Secret.of(KEY)));

    BraveSearchToolTest() throws IOException {
        server = new FakeBrave();
    }

    @AfterEach
    void noSecretAnywhere() {
        server.close();
        assertThat(logLines).noneMatch(line -> line.contains(KEY));
        assertThat(seen).noneMatch(message -> message.contains(KEY));
    }

    private BraveSettings settings(int defaultCount, String country, String searchLang, String safesearch) {
        return new BraveSettings("web_search", server.baseUrl() + "/", defaultCount, country, searchLang, safesearch,
                Duration.ofSeconds(10), 2);
    }

    private BraveSearchTool tool() {
        return tool(settings(5, "", "", "moderate"));
    }

    private BraveSearchTool tool(BraveSettings settings) {
        HttpLog log = new HttpLog() {
            @Override
            public void debug(String message) {
                logLines.add(message);
            }

            @Override
            public void warn(String message) {
                logLines.add(message);
            }
        };
        return new BraveSearchTool("web", settings,
                name -> name.equals(BraveConnection.API_KEY) ? key.get() : Optional.empty(), log, sleeps::add);
    }

    private ToolResult search(BraveSearchTool tool, Map<String, Object> arguments) throws PluginException {
        ToolResult result = tool.execute(arguments, ToolContext.NONE);
        seen.add(result.text());
        return result;
    }

    private <T extends Exception> T failure(Class<T> type, BraveSearchTool tool, Map<String, Object> arguments) {
        T e = catchThrowableOfType(type, () -> tool.execute(arguments, ToolContext.NONE));
        assertThat(e).as("expected a " + type.getSimpleName()).isNotNull();
        seen.add(e.getMessage());
        return e;
    }

    private ConnectionTestResult test(BraveSearchTool tool) {
        ConnectionTestResult result = tool.testConnection();
        seen.add(result.message());
        return result;
    }

    private String url(String rawQuery) {
        return "GET " + server.baseUrl() + "/res/v1/web/search?" + rawQuery;
    }

    @Test
    void thePluginIdMapsToTheFactoryPidAndTheToolIsDescribed() {
        BraveSearchTool tool = tool();

        assertThat(PluginConstants.factoryPid(BraveSearchTool.PLUGIN_ID)).isEqualTo(BraveSearchTool.FACTORY_PID);
        assertThat(tool.name()).isEqualTo("web_search");
        assertThat(tool.description()).startsWith("Searches the web with Brave Search");
        Map<String, Object> schema = tool.parametersSchema();
        assertThat(schema).containsEntry("type", "object").containsEntry("required", List.of("query"))
                .containsEntry("additionalProperties", false);
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> properties = (Map<String, Map<String, Object>>) schema.get("properties");
        assertThat(properties).containsOnlyKeys(SearchArguments.NAMES);
        assertThat(new ArrayList<>(properties.keySet())).isEqualTo(SearchArguments.NAMES);
        assertThat(properties.get("count")).containsEntry("type", "integer").containsEntry("minimum", 1)
                .containsEntry("maximum", 20).containsEntry("description", "How many results to return (default 5).");
        assertThat(properties.get("safesearch")).containsEntry("enum", List.of("off", "moderate", "strict"));
        assertThat((String) properties.get("freshness").get("pattern")).matches("\\^\\(pd\\|pw\\|pm\\|py\\|.*");
    }

    @Test
    void searchesWithTheDocumentedRequest() throws Exception {
        server.then(json(200, ANSWER));
        Map<String, Object> arguments = new LinkedHashMap<>();
        arguments.put("query", "C++ & \"OSGi\" über  services");
        arguments.put("count", 3);
        arguments.put("country", "de");
        arguments.put("search_lang", "EN-GB");
        arguments.put("safesearch", "strict");
        arguments.put("freshness", "2024-01-01to2024-06-30");

        ToolResult result = search(tool(), arguments);

        assertThat(result.error()).isFalse();
        FakeBrave.Received sent = server.last();
        assertThat(sent.method()).isEqualTo("GET");
        assertThat(sent.path()).isEqualTo("/res/v1/web/search");
        assertThat(sent.rawQuery()).isEqualTo("q=C%2B%2B%20%26%20%22OSGi%22%20%C3%BCber%20services&count=3"
                + "&country=DE&search_lang=en-gb&safesearch=strict&freshness=2024-01-01to2024-06-30");
        assertThat(sent.parameters()).containsExactly(Map.entry("q", "C++ & \"OSGi\" über services"),
                Map.entry("count", "3"), Map.entry("country", "DE"), Map.entry("search_lang", "en-gb"),
                Map.entry("safesearch", "strict"), Map.entry("freshness", "2024-01-01to2024-06-30"));
        assertThat(sent.header("Accept")).isEqualTo("application/json");
        assertThat(sent.header("X-Subscription-Token")).isEqualTo(KEY);
        assertThat(sent.header("Accept-Encoding")).isNull(); // no gzip asked for, so none to decode
        assertThat(sent.header("Authorization")).isNull();
        assertThat(server.received()).hasSize(1);
    }

    @Test
    void defaultsComeFromTheSettingsAndEmptyOnesAreLeftOut() throws Exception {
        server.then(json(200, ANSWER)).then(json(200, ANSWER));

        search(tool(settings(7, "gb", "de", "off")), Map.of("query", "news"));
        Map<String, String> withDefaults = server.last().parameters();
        search(tool(), Map.of("query", "news", "freshness", "pd", "country", " ", "count", "2"));
        Map<String, String> plain = server.last().parameters();

        assertThat(withDefaults).containsExactly(Map.entry("q", "news"), Map.entry("count", "7"),
                Map.entry("country", "GB"), Map.entry("search_lang", "de"), Map.entry("safesearch", "off"));
        assertThat(plain).containsExactly(Map.entry("q", "news"), Map.entry("count", "2"),
                Map.entry("safesearch", "moderate"), Map.entry("freshness", "pd"));
    }

    @Test
    void resultsAreAShortNumberedListWithoutMarkup() throws Exception {
        server.then(json(200, ANSWER));

        ToolResult result = search(tool(), Map.of("query", "osgi declarative services"));

        assertThat(result.error()).isFalse();
        assertThat(result.media()).isEmpty();
        assertThat(result.text()).isEqualTo("""
                Brave Search results for "osgi declarative services":
                1. OSGi Compendium: Declarative Services Specification — https://docs.osgi.org/specification/osgi.cmpn/8.1.0/service.component.html
                   The Declarative Services specification & its "component" model — lazy activation, <reference> elements. (May 11, 2023)
                2. Apache Felix SCR — https://felix.apache.org/documentation/subprojects/apache-felix-service-component-runtime.html
                   The Service Component Runtime implements DS. (2024-02-01)
                3. Declarative Services in practice — https://example.org/ds
                   Constructor injection with typed configuration…""");
    }

    @Test
    void theDataHoldsTheQueryAndTheResults() throws Exception {
        server.then(json(200, ANSWER));

        ToolResult result = search(tool(), Map.of("query", "osgi declarative services"));

        assertThat(result.data()).containsOnlyKeys("query", "results")
                .containsEntry("query", "osgi declarative services");
        assertThat(result.data().get("results")).isEqualTo(List.of(
                Map.of("title", "OSGi Compendium: Declarative Services Specification",
                        "url", "https://docs.osgi.org/specification/osgi.cmpn/8.1.0/service.component.html",
                        "description", "The Declarative Services specification & its \"component\" model — lazy "
                                + "activation, <reference> elements.",
                        "age", "May 11, 2023"),
                Map.of("title", "Apache Felix SCR",
                        "url", "https://felix.apache.org/documentation/subprojects/"
                                + "apache-felix-service-component-runtime.html",
                        "description", "The Service Component Runtime implements DS.", "age", "2024-02-01"),
                Map.of("title", "Declarative Services in practice", "url", "https://example.org/ds",
                        "description", "Constructor injection with typed configuration…", "age", "")));
    }

    @Test
    void longSnippetsAndLongListsAreCutToTheBudget() throws Exception {
        StringBuilder results = new StringBuilder();
        String words = "word ".repeat(200).strip(); // 999 characters
        for (int i = 1; i <= 20; i++) {
            results.append(i == 1 ? "" : ",").append("{\"title\":\"Result ").append(i).append(' ')
                    .append("t".repeat(300)).append("\",\"url\":\"https://example.org/").append(i)
                    .append("\",\"description\":\"").append(words).append("\",\"age\":\"1 day ago\"}");
        }
        server.then(json(200, "{\"type\":\"search\",\"query\":{\"original\":\"many\"},\"web\":{\"type\":\"search\","
                + "\"results\":[" + results + "]}}"));

        ToolResult result = search(tool(), Map.of("query", "many", "count", 20));

        String text = result.text();
        assertThat(text.length()).isLessThanOrEqualTo(SearchResults.MAX_TEXT + 100);
        List<String> lines = text.lines().toList();
        String firstTitle = lines.get(1).substring("1. ".length(), lines.get(1).indexOf(" — "));
        assertThat(firstTitle).hasSizeLessThanOrEqualTo(SearchResults.MAX_TITLE).startsWith("Result 1 ttt").endsWith("…");
        String firstSnippet = lines.get(2).strip();
        assertThat(firstSnippet).endsWith("… (1 day ago)");
        assertThat(firstSnippet.substring(0, firstSnippet.length() - " (1 day ago)".length()))
                .hasSizeLessThanOrEqualTo(SearchResults.MAX_DESCRIPTION).endsWith("word…");
        int shown = (int) lines.stream().filter(line -> line.matches("^\\d+\\. .*")).count();
        assertThat(shown).isBetween(3, 19);
        assertThat(lines.get(lines.size() - 1)).isEqualTo("(" + (20 - shown) + " more results left out to keep this "
                + "short)");
        // the data keeps every result, whole
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> data = (List<Map<String, Object>>) result.data().get("results");
        assertThat(data).hasSize(20);
        assertThat(data.get(19)).containsEntry("description", words).containsEntry("url", "https://example.org/20");
    }

    @Test
    void noResultsIsATextNotAnError() throws Exception {
        server.then(json(200, EMPTY_ANSWER)).then(json(200, "{\"type\":\"search\",\"query\":{\"original\":\"x\"},"
                + "\"web\":{\"type\":\"search\",\"results\":[]}}"));

        ToolResult plain = search(tool(), Map.of("query", "qwxzv plorb"));
        ToolResult filtered = search(tool(), Map.of("query", "qwxzv plorb", "freshness", "pd"));

        assertThat(plain.error()).isFalse();
        assertThat(plain.text()).isEqualTo("No results for \"qwxzv plorb\" on Brave Search. Try fewer or other words.");
        assertThat(plain.data()).isEqualTo(Map.of("query", "qwxzv plorb", "results", List.of()));
        assertThat(filtered.error()).isFalse();
        assertThat(filtered.text()).isEqualTo("No results for \"qwxzv plorb\" on Brave Search. Try fewer or other "
                + "words, or drop the freshness, country or language filter.");
    }

    @Test
    void aCorrectedQueryIsSaid() throws Exception {
        server.then(json(200, "{\"type\":\"search\",\"query\":{\"original\":\"osgi declaritive\","
                + "\"altered\":\"osgi declarative\"},\"web\":{\"results\":[{\"title\":\"DS\","
                + "\"url\":\"https://example.org/\",\"description\":\"d\"}]}}"));

        ToolResult result = search(tool(), Map.of("query", "osgi declaritive"));

        assertThat(result.text()).startsWith("Brave Search results for \"osgi declarative\" (searched instead of "
                + "\"osgi declaritive\"):\n1. DS — https://example.org/\n   d");
        assertThat(result.data()).containsEntry("alteredQuery", "osgi declarative");
    }

    @Test
    void badArgumentsAreErrorResultsWithoutACall() throws Exception {
        BraveSearchTool tool = tool();
        Map<String, Object> many = new LinkedHashMap<>();
        many.put("query", 42);
        many.put("count", 25);
        many.put("country", "Germany");
        many.put("search_lang", "English");
        many.put("safesearch", "high");
        many.put("freshness", "yesterday");
        many.put("lang", "en");

        assertThat(search(tool, Map.of())).isEqualTo(ToolResult.error("argument 'query' is required: the words to "
                + "search for"));
        assertThat(search(tool, Map.of("query", "   "))).isEqualTo(ToolResult.error("argument 'query' must not be "
                + "empty"));
        assertThat(search(tool, Map.of("query", "x".repeat(401)))).isEqualTo(ToolResult.error("argument 'query' "
                + "must be at most 400 characters, was 401"));
        assertThat(search(tool, Map.of("query", "w ".repeat(51)))).isEqualTo(ToolResult.error("argument 'query' "
                + "must have at most 50 words, had 51"));
        assertThat(search(tool, Map.of("query", "x", "count", 2.5))).isEqualTo(ToolResult.error("argument 'count' "
                + "must be an integer from 1 to 20, was the number 2.5"));
        assertThat(search(tool, Map.of("query", "x", "count", 0))).isEqualTo(ToolResult.error("argument 'count' "
                + "must be an integer from 1 to 20, was the number 0"));
        assertThat(search(tool, Map.of("query", "x", "freshness", "2024-02-30to2024-03-01"))).isEqualTo(
                ToolResult.error("argument 'freshness' has a date that does not exist, 2024-02-30, in "
                        + "'2024-02-30to2024-03-01' (expected YYYY-MM-DDtoYYYY-MM-DD)"));
        assertThat(search(tool, Map.of("query", "x", "freshness", "2024-06-01to2024-01-01"))).isEqualTo(
                ToolResult.error("argument 'freshness' must start no later than it ends, was "
                        + "'2024-06-01to2024-01-01'"));
        assertThat(search(tool, Map.of("query", "x", "safesearch", true))).isEqualTo(ToolResult.error("argument "
                + "'safesearch' must be a string, was the boolean true"));
        assertThat(search(tool, many)).isEqualTo(ToolResult.error("unknown argument 'lang' (the arguments are "
                + "query, count, country, search_lang, safesearch, freshness); argument 'query' must be a string, "
                + "was the number 42; argument 'count' must be an integer from 1 to 20, was the number 25; argument "
                + "'country' must be a two-letter country code such as US, DE or GB, or ALL, was 'Germany'; argument "
                + "'search_lang' must be a language code such as en, de, fr or pt-br, was 'English'; argument "
                + "'safesearch' must be 'off', 'moderate' or 'strict', was 'high'; argument 'freshness' must be pd "
                + "(past day), pw (past week), pm (past month), py (past year) or a date range "
                + "YYYY-MM-DDtoYYYY-MM-DD, was 'yesterday'"));
        assertThat(server.received()).isEmpty();
    }

    @Test
    void argumentsBraveRefusesAreAnErrorResult() throws Exception {
        server.then(json(422, "{\"type\":\"ErrorResponse\",\"error\":{\"id\":\"a1\",\"status\":422,"
                + "\"code\":\"VALIDATION\",\"detail\":\"Unable to validate request parameter(s)\",\"meta\":{"
                + "\"errors\":[{\"type\":\"enum\",\"loc\":[\"query\",\"country\"],\"msg\":\"Input should be 'AR', "
                + "'AU', 'AT' or 'US'\",\"input\":\"XX\",\"ctx\":{\"expected\":\"'AR', 'AU', 'AT' or 'US'\"}}]}},"
                + "\"time\":1719830400}"));

        ToolResult result = search(tool(), Map.of("query", "x", "country", "XX"));

        assertThat(result).isEqualTo(ToolResult.error("Brave Search did not accept the arguments: Unable to "
                + "validate request parameter(s): country: Input should be 'AR', 'AU', 'AT' or 'US'"));
        assertThat(server.received()).hasSize(1);
        assertThat(sleeps).isEmpty();
    }

    @Test
    void anInvalidKeyNamesTheSecretAndIsNotRetried() {
        server.then(json(422, error(422, "SUBSCRIPTION_TOKEN_INVALID", "The provided subscription token is "
                + "invalid.")));

        HttpException e = failure(HttpException.class, tool(), Map.of("query", "osgi"));

        assertThat(e).hasMessage(url("q=osgi&count=5&safesearch=moderate") + " answered 422 Unprocessable Content: "
                + "The provided subscription token is invalid (SUBSCRIPTION_TOKEN_INVALID). Brave refused the API key "
                + "in the secret 'apiKey' of instance 'web': put a valid key from "
                + "https://api-dashboard.search.brave.com/app/keys there");
        assertThat(e.status()).isEqualTo(422);
        assertThat(e.retryable()).isFalse();
        assertThat(e.providerCode()).contains("SUBSCRIPTION_TOKEN_INVALID");
        assertThat(server.received()).hasSize(1);
        assertThat(sleeps).isEmpty();
    }

    @Test
    void unauthorizedIsExplainedWithoutTheKeyItEchoes() {
        server.then(json(401, error(401, "SUBSCRIPTION_TOKEN_INVALID", "Unknown token " + KEY)));

        HttpException e = failure(HttpException.class, tool(), Map.of("query", "osgi"));

        assertThat(e).hasMessage(url("q=osgi&count=5&safesearch=moderate") + " answered 401 Unauthorized: Unknown "
                + "token ****** (SUBSCRIPTION_TOKEN_INVALID). Brave refused the API key in the secret 'apiKey' of "
                + "instance 'web': put a valid key from https://api-dashboard.search.brave.com/app/keys there");
        assertThat(e.providerMessage()).contains("Unknown token ******");
        assertThat(e.retryable()).isFalse();
    }

    @Test
    void aKeyIsReadForEveryCall() throws Exception {
        server.then(json(200, ANSWER)).then(json(200, ANSWER));
        BraveSearchTool tool = tool();

        search(tool, Map.of("query", "a"));
        key.set(Optional.of(Secret.of("  BSAnewKEY  ")));
        search(tool, Map.of("query", "b"));

        assertThat(server.received().get(0).header("X-Subscription-Token")).isEqualTo(KEY);
        assertThat(server.received().get(1).header("X-Subscription-Token")).isEqualTo("BSAnewKEY");
    }

    @Test
    void withoutAKeyNothingIsSent() {
        key.set(Optional.of(Secret.of(" ")));

        PluginException e = failure(PluginException.class, tool(), Map.of("query", "osgi"));

        assertThat(e).hasMessage("the instance 'web' has no API key: put a Brave Search API key (from "
                + "https://api-dashboard.search.brave.com/app/keys) into its secret 'apiKey'");
        assertThat(server.received()).isEmpty();
    }

    @Test
    void thePerSecondRateLimitIsWaitedOutThenTheSearchSucceeds() throws Exception {
        server.then(answer(429, limits("0, 14000", "1, 1419704"), error(429, "RATE_LIMITED", "Request rate limit "
                + "exceeded for plan."))).then(answer(200, limits("0, 13999", "1, 1419703"), ANSWER));

        ToolResult result = search(tool(), Map.of("query", "osgi declarative services"));

        assertThat(result.error()).isFalse();
        assertThat(result.text()).startsWith("Brave Search results for \"osgi declarative services\":\n1. OSGi");
        assertThat(sleeps).containsExactly(Duration.ofSeconds(1));
        assertThat(server.received()).hasSize(2);
        assertThat(server.received().get(1).rawQuery()).isEqualTo(server.received().get(0).rawQuery());
        assertThat(logLines).anyMatch(line -> line.contains("answered 429 Too Many Requests: Request rate limit "
                + "exceeded for plan.; retrying in 1 s (attempt 2 of 3)"));
    }

    @Test
    void aLastingRateLimitGivesUpAndSaysWhatThePlanAllows() {
        for (int i = 0; i < 3; i++) {
            server.then(answer(429, limits("0, 14000", "2, 1419704"), error(429, "RATE_LIMITED", "Request rate "
                    + "limit exceeded for plan.")));
        }

        HttpException e = failure(HttpException.class, tool(), Map.of("query", "osgi"));

        assertThat(e).hasMessage(url("q=osgi&count=5&safesearch=moderate") + " answered 429 Too Many Requests: "
                + "Request rate limit exceeded for plan. (gave up after 3 attempts); the plan allows 1 request per "
                + "second and 15000 per month, try again in a moment");
        assertThat(e.retryable()).isTrue();
        assertThat(sleeps).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(2));
        assertThat(server.received()).hasSize(3);
    }

    @Test
    void aUsedUpMonthlyQuotaFailsAtOnceWithWhenItResets() {
        server.then(answer(429, limits("1, 0", "1, 1419704"), error(429, "QUOTA_LIMITED", "Request quota limit "
                + "exceeded for plan.")));

        HttpException e = failure(HttpException.class, tool(), Map.of("query", "osgi"));

        assertThat(e).hasMessage(url("q=osgi&count=5&safesearch=moderate") + " answered 429 Too Many Requests: "
                + "Request quota limit exceeded for plan (QUOTA_LIMITED). The monthly quota of the Brave Search plan "
                + "(15000 requests a month) is used up, it resets in 17 days; a bigger plan is at "
                + "https://api-dashboard.search.brave.com");
        assertThat(e.retryable()).isFalse();
        assertThat(e.retryAfter()).hasValueSatisfying(wait -> assertThat(wait)
                .isBetween(Duration.ofSeconds(1419700), Duration.ofSeconds(1419704)));
        assertThat(server.received()).hasSize(1);
        assertThat(sleeps).isEmpty();
    }

    @Test
    void theQuotaHeadersAloneStopTheRetries() {
        // a rate limit code, but no request left this month: waiting a second would not help
        server.then(answer(429, limits("0, 0", "1, 86400"), error(429, "RATE_LIMITED", "Request rate limit exceeded "
                + "for plan.")));

        HttpException e = failure(HttpException.class, tool(), Map.of("query", "osgi"));

        assertThat(e.getMessage()).endsWith("The monthly quota of the Brave Search plan (15000 requests a month) is "
                + "used up, it resets in 1 day; a bigger plan is at https://api-dashboard.search.brave.com");
        assertThat(server.received()).hasSize(1);
        assertThat(sleeps).isEmpty();
    }

    @Test
    void aQuotaCodeWithoutHeadersStopsTheRetriesToo() {
        server.then(json(429, error(429, "QUOTA_LIMITED", "Request quota limit exceeded for plan.")));

        HttpException e = failure(HttpException.class, tool(), Map.of("query", "osgi"));

        assertThat(e.getMessage()).endsWith("(QUOTA_LIMITED). The monthly quota of the Brave Search plan is used up, "
                + "it resets when the plan's month ends; a bigger plan is at https://api-dashboard.search.brave.com");
        assertThat(e.retryable()).isFalse();
        assertThat(server.received()).hasSize(1);
        assertThat(sleeps).isEmpty();
    }

    @Test
    void aServerErrorIsRetriedThenSucceeds() throws Exception {
        server.then(json(500, error(500, "INTERNAL", "Internal error"))).then(json(200, ANSWER));

        ToolResult result = search(tool(), Map.of("query", "osgi"));

        assertThat(result.error()).isFalse();
        assertThat(result.text()).contains("1. OSGi Compendium");
        assertThat(server.received()).hasSize(2);
        assertThat(sleeps).hasSize(1);
        assertThat(sleeps.get(0)).isLessThanOrEqualTo(Duration.ofMillis(500));
    }

    @Test
    void serverErrorsThatLastAreReportedAfterTheRetries() {
        server.then(json(503, "")).then(json(502, "<html>bad gateway</html>")).then(json(500, error(500, "INTERNAL",
                "Internal error")));

        HttpException e = failure(HttpException.class, tool(), Map.of("query", "osgi"));

        assertThat(e).hasMessage(url("q=osgi&count=5&safesearch=moderate") + " answered 500 Internal Server Error: "
                + "Internal error (gave up after 3 attempts)");
        assertThat(e.retryable()).isTrue();
        assertThat(sleeps).hasSize(2);
    }

    @Test
    void malformedJsonIsExplained() {
        server.then(json(200, "{\"type\":\"search\",\"web\":{\"results\":[{\"title\":"));

        HttpException e = failure(HttpException.class, tool(), Map.of("query", "osgi"));

        assertThat(e).hasMessage("expected a JSON answer from " + url("q=osgi&count=5&safesearch=moderate")
                + ", found application/json (44 bytes): {\"type\":\"search\",\"web\":{\"results\":[{\"title\":"
                + " (Unexpected end-of-input within/between Object entries)");
        assertThat(e.retryable()).isFalse();
        assertThat(server.received()).hasSize(1);
    }

    @Test
    void anAnswerThatIsNotASearchIsExplained() {
        server.then(json(200, "[\"osgi\"]")).then(json(200, error(500, "INTERNAL", "Something broke")));
        BraveSearchTool tool = tool();

        PluginException array = failure(PluginException.class, tool, Map.of("query", "osgi"));
        PluginException errorWith200 = failure(PluginException.class, tool, Map.of("query", "osgi"));

        assertThat(array).hasMessage("expected a search answer {\"type\":\"search\",\"web\":{\"results\":[...]}} "
                + "from " + url("q=osgi&count=5&safesearch=moderate") + ", found an array: [\"osgi\"]");
        assertThat(errorWith200).hasMessage(url("q=osgi&count=5&safesearch=moderate") + " answered with an error: "
                + "Something broke (INTERNAL)");
    }

    @Test
    void aDroppedConnectionIsRetried() throws Exception {
        server.then(drop()).then(json(200, ANSWER));

        ToolResult result = search(tool(), Map.of("query", "osgi"));

        // the JDK client itself repeats a GET once when the connection drops before an answer
        assertThat(result.text()).contains("1. OSGi Compendium");
        assertThat(server.received()).hasSize(2);
    }

    @Test
    void connectionsThatKeepDroppingAreReportedAfterTheRetries() {
        for (int i = 0; i < 10; i++) {
            server.then(drop());
        }

        HttpException e = failure(HttpException.class, tool(), Map.of("query", "osgi"));

        assertThat(e.getMessage()).startsWith(url("q=osgi&count=5&safesearch=moderate") + " failed: the connection "
                + "broke before a complete answer").endsWith("(gave up after 3 attempts)");
        assertThat(e.retryable()).isTrue();
        assertThat(sleeps).hasSize(2);
        assertThat(server.received()).hasSizeBetween(3, 6);
    }

    @Test
    void anAnswerCutOffHalfwayIsRetried() throws Exception {
        server.then(FakeBrave.cutOff(ANSWER)).then(json(200, ANSWER));

        ToolResult result = search(tool(), Map.of("query", "osgi"));

        assertThat(result.text()).contains("1. OSGi Compendium");
        assertThat(server.received()).hasSize(2);
        assertThat(sleeps).hasSize(1);
        assertThat(logLines).anyMatch(line -> line.startsWith(url("q=osgi&count=5&safesearch=moderate") + " failed: "
                + "the connection broke before a complete answer"));
    }

    @Test
    void theConnectionTestSearchesForOneResult() {
        server.then(answer(200, limits("0, 14999", "1, 1419704"), ANSWER.replace("\"results\":[",
                "\"results\":[{\"title\":\"Brave Search\",\"url\":\"https://search.brave.com/\"},")));
        BraveSearchTool tool = tool(settings(5, "GB", "en", "strict"));

        ConnectionTestResult result = test(tool);

        assertThat(result).isEqualTo(ConnectionTestResult.ok("reached " + server.baseUrl() + " with the API key: a "
                + "test search found 4 results; 14999 of the plan's 15000 requests a month are left"));
        assertThat(server.last().parameters()).containsExactly(Map.entry("q", "Brave Search"), Map.entry("count", "1"),
                Map.entry("country", "GB"), Map.entry("search_lang", "en"), Map.entry("safesearch", "strict"));
        assertThat(server.last().header("X-Subscription-Token")).isEqualTo(KEY);
    }

    @Test
    void theConnectionTestReportsARefusedKeyWithoutIt() {
        server.then(json(422, error(422, "SUBSCRIPTION_TOKEN_INVALID", "The provided subscription token is "
                + "invalid.")));

        ConnectionTestResult result = test(tool());

        assertThat(result.ok()).isFalse();
        assertThat(result.message()).isEqualTo(url("q=Brave%20Search&count=1&safesearch=moderate") + " answered 422 "
                + "Unprocessable Content: The provided subscription token is invalid (SUBSCRIPTION_TOKEN_INVALID). "
                + "Brave refused the API key in the secret 'apiKey' of instance 'web': put a valid key from "
                + "https://api-dashboard.search.brave.com/app/keys there");
        assertThat(server.received()).hasSize(1);
    }

    @Test
    void theConnectionTestWithoutAKeySendsNothing() {
        key.set(Optional.empty());

        ConnectionTestResult result = test(tool());

        assertThat(result).isEqualTo(ConnectionTestResult.failed("the instance 'web' has no API key: put a Brave "
                + "Search API key (from https://api-dashboard.search.brave.com/app/keys) into its secret 'apiKey'"));
        assertThat(server.received()).isEmpty();
    }
}
