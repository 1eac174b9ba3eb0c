package io.grambot.plugin.brave.search.internal;

import java.time.Clock;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

import io.grambot.api.ConnectionTest;
import io.grambot.api.ConnectionTestResult;
import io.grambot.api.GrambotPlugin;
import io.grambot.api.PluginConstants;
import io.grambot.api.PluginContext;
import io.grambot.api.PluginException;
import io.grambot.api.Secret;
import io.grambot.api.SettingFormat;
import io.grambot.api.tool.Tool;
import io.grambot.api.tool.ToolContext;
import io.grambot.api.tool.ToolResult;
import io.grambot.http.HttpException;
import io.grambot.http.HttpLog;
import io.grambot.http.Sleeper;

/** A web search tool for models through the Brave Search API. One component object per instance. */
@GrambotPlugin(id = BraveSearchTool.PLUGIN_ID, name = "Brave Search",
        description = "A web search tool for models, through the Brave Search API.")
@Designate(ocd = BraveSearchTool.Config.class, factory = true)
@Component(configurationPid = BraveSearchTool.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = { Tool.class, ConnectionTest.class })
public final class BraveSearchTool implements Tool, ConnectionTest {

    static final String PLUGIN_ID = "brave-search";
    /** {@code PluginConstants.factoryPid(PLUGIN_ID)}, spelled out because annotations need a constant. */
    static final String FACTORY_PID = "brave.search";
    /** What the connection test searches for. */
    static final String PROBE_QUERY = "Brave Search";

    @ObjectClassDefinition(name = "Grambot Brave Search tool",
            description = "A web search tool for models, through the Brave Search API (web search).")
    public @interface Config {

        @AttributeDefinition(name = "Enabled", description = "Whether this instance runs.")
        boolean enabled() default true;

        @AttributeDefinition(name = "Tool name", description = "The name the model calls the tool by: letters, "
                + "digits, '_' and '-', at most 64; unique among a bot's tools.", min = "1", max = "64")
        @SettingFormat(pattern = "^[A-Za-z0-9_-]+$")
        String toolName() default BraveSettings.DEFAULT_TOOL_NAME;

        @AttributeDefinition(name = "Base URL", description = "Where the API is, without a path: "
                + BraveSettings.DEFAULT_BASE_URL + ". Calls go to <baseUrl>/" + BraveSettings.SEARCH_PATH + ".")
        @SettingFormat(format = "uri", pattern = "^https?://")
        String baseUrl() default BraveSettings.DEFAULT_BASE_URL;

        @AttributeDefinition(name = "API key", type = AttributeType.PASSWORD, required = false,
                description = "A Brave Search API key (" + BraveConnection.DASHBOARD + "/app/keys), sent as "
                        + BraveConnection.TOKEN_HEADER + "; every call needs it. Stored in the secrets store.")
        String apiKey() default "";

        @AttributeDefinition(name = "Results", description = "How many results a search returns when the model "
                + "does not say (it may ask for 1 to 20).", min = "1", max = "20")
        int defaultCount() default 5;

        @AttributeDefinition(name = "Country", required = false, description = "Where results come from when the "
                + "model does not say: a two-letter country code such as US, DE or GB, or ALL; empty for Brave's "
                + "default (US).")
        @SettingFormat(pattern = "^([A-Za-z]{2}|[Aa][Ll][Ll])?$")
        String country() default "";

        @AttributeDefinition(name = "Search language", required = false, description = "The language of the "
                + "results when the model does not say: a code such as en, de, fr or pt-br; empty for Brave's "
                + "default (en).")
        @SettingFormat(pattern = "^([A-Za-z]{2}(-[A-Za-z]{2,4})?)?$")
        String searchLang() default "";

        @AttributeDefinition(name = "Safe search", description = "How adult content is filtered when the model "
                + "does not say.",
                options = { @Option(label = "Off", value = "off"), @Option(label = "Moderate", value = "moderate"),
                        @Option(label = "Strict", value = "strict") })
        String safesearch() default "moderate";

        @AttributeDefinition(name = "Timeout (seconds)", description = "The most time one call may take.",
                min = "1", max = "300")
        int timeoutSeconds() default 20;

        @AttributeDefinition(name = "Retries", description = "How often a call is repeated after a refused or "
                + "dropped connection, 408, 5xx, or 429 for the per-second rate limit (waiting until it resets, up "
                + "to 10 s). A used-up monthly quota is not retried.", min = "0", max = "10")
        int maxRetries() default 2;
    }

    private final BraveSettings settings;
    private final BraveConnection connection;
    private final Map<String, Object> schema;

    @Activate
    public BraveSearchTool(Config config, @Reference(name = PluginConstants.CONTEXT_REFERENCE) PluginContext context,
            @Reference(service = LoggerFactory.class) Logger logger) {
        this(context.instanceId(), BraveSettings.of(config), key -> context.secrets().get(key), log(logger),
                Sleeper.REAL);
    }

    /** @param secrets the instance's secrets by key ({@code apiKey}), read for every call */
    BraveSearchTool(String instanceId, BraveSettings settings, Function<String, Optional<Secret>> secrets,
            HttpLog log, Sleeper sleeper) {
        this.settings = settings;
        this.connection = new BraveConnection(instanceId, settings, secrets, log, sleeper, Clock.systemUTC());
        this.schema = schema(settings);
    }

    @Override
    public String name() {
        return settings.toolName();
    }

    @Override
    public String description() {
        return "Searches the web with Brave Search and returns the top results: title, URL, a snippet and how old "
                + "the page is. Use it for current events, recent facts and anything you are unsure of, and cite "
                + "the URLs you rely on.";
    }

    @Override
    public Map<String, Object> parametersSchema() {
        return schema;
    }

    /**
     * Searches. Arguments that are wrong, or that Brave does not accept, are an error result the model can correct;
     * a refused key, a used-up quota or an unreachable service is an exception.
     */
    @Override
    public ToolResult execute(Map<String, Object> arguments, ToolContext context) throws PluginException {
        SearchArguments search;
        try {
            search = SearchArguments.of(arguments, settings);
        } catch (IllegalArgumentException e) {
            return ToolResult.error(e.getMessage());
        }
        try {
            return connection.search(search).toolResult(search);
        } catch (HttpException e) {
            if (e.providerCode().filter(BraveConnection.VALIDATION::equals).isPresent()) {
                return ToolResult.error("Brave Search did not accept the arguments: "
                        + e.providerMessage().orElse(e.getMessage()));
            }
            throw e;
        }
    }

    /**
     * Searches for {@value #PROBE_QUERY} asking for one result, with the instance's defaults: it checks the address,
     * the key and the settings at the cost of one request of the plan's quota.
     */
    @Override
    public ConnectionTestResult testConnection() {
        try {
            SearchArguments probe = SearchArguments.of(Map.of(SearchArguments.QUERY, PROBE_QUERY,
                    SearchArguments.COUNT, 1), settings);
            int found = connection.search(probe).results().size();
            String quota = connection.rateLimit().flatMap(RateLimit::quota)
                    .map(w -> "; " + w.remaining() + " of the plan's " + w.limit() + " requests a month are left")
                    .orElse("");
            return ConnectionTestResult.ok("reached " + settings.baseUrl() + " with the API key: a test search "
                    + "found " + found + (found == 1 ? " result" : " results") + quota);
        } catch (PluginException | IllegalArgumentException e) {
            return ConnectionTestResult.failed(e.getMessage());
        }
    }

    /** The JSON Schema of the arguments, with the instance's defaults in the descriptions. */
    private static Map<String, Object> schema(BraveSettings settings) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put(SearchArguments.QUERY, Map.of("type", "string", "minLength", 1,
                "maxLength", SearchArguments.MAX_QUERY_LENGTH, "description", "What to search for, as you would "
                        + "type it into a search engine (at most " + SearchArguments.MAX_QUERY_LENGTH
                        + " characters and " + SearchArguments.MAX_QUERY_WORDS + " words)."));
        properties.put(SearchArguments.COUNT, Map.of("type", "integer", "minimum", 1,
                "maximum", BraveSettings.MAX_COUNT, "description", "How many results to return (default "
                        + settings.defaultCount() + ")."));
        properties.put(SearchArguments.COUNTRY, Map.of("type", "string", "pattern", "^([A-Za-z]{2}|ALL)$",
                "description", "The country results come from: a two-letter code such as US, DE or GB, or ALL "
                        + "(default " + (settings.country().isEmpty() ? "US" : settings.country()) + ")."));
        properties.put(SearchArguments.SEARCH_LANG, Map.of("type", "string", "pattern",
                "^[A-Za-z]{2}(-[A-Za-z]{2,4})?$", "description", "The language of the results: a code such as en, "
                        + "de, fr or pt-br (default " + (settings.searchLang().isEmpty() ? "en"
                                : settings.searchLang()) + ")."));
        properties.put(SearchArguments.SAFESEARCH, Map.of("type", "string", "enum", BraveSettings.SAFESEARCH,
                "description", "How adult content is filtered (default " + settings.safesearch() + ")."));
        properties.put(SearchArguments.FRESHNESS, Map.of("type", "string",
                "pattern", "^(pd|pw|pm|py|[0-9]{4}-[0-9]{2}-[0-9]{2}to[0-9]{4}-[0-9]{2}-[0-9]{2})$",
                "description", "Only pages from the past day (pd), week (pw), month (pm) or year (py), or from a "
                        + "date range such as 2024-01-01to2024-06-30. Leave it out to search all pages."));
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("properties", Collections.unmodifiableMap(properties));
        schema.put("required", List.of(SearchArguments.QUERY));
        schema.put("additionalProperties", false);
        return Collections.unmodifiableMap(schema);
    }

    private static HttpLog log(Logger logger) {
        return new HttpLog() {
            @Override
            public void debug(String message) {
                logger.debug("{}", message);
            }

            @Override
            public void warn(String message) {
                logger.warn("{}", message);
            }
        };
    }
}
