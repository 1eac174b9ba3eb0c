package io.grambot.plugin.anthropic.internal;

import java.util.ArrayList;
import java.util.List;
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

import io.grambot.api.ConnectionTest;
import io.grambot.api.ConnectionTestResult;
import io.grambot.api.GrambotPlugin;
import io.grambot.api.PluginConstants;
import io.grambot.api.PluginContext;
import io.grambot.api.PluginException;
import io.grambot.api.Secret;
import io.grambot.api.SettingFormat;
import io.grambot.api.inference.ChatRequest;
import io.grambot.api.inference.ChatResponse;
import io.grambot.api.inference.InferenceProvider;
import io.grambot.api.inference.StreamListener;
import io.grambot.http.HttpLog;
import io.grambot.http.JsonHttpClient;
import io.grambot.http.RetryPolicy;
import io.grambot.http.Sleeper;

/** Answers with Anthropic's Claude models through the Messages API. One component object per instance. */
@GrambotPlugin(id = AnthropicProvider.PLUGIN_ID, name = "Anthropic",
        description = "Answers with Anthropic's Claude models (Messages API).")
@Designate(ocd = AnthropicProvider.Config.class, factory = true)
@Component(configurationPid = AnthropicProvider.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = { InferenceProvider.class, ConnectionTest.class })
public final class AnthropicProvider implements InferenceProvider, ConnectionTest {

    static final String PLUGIN_ID = "anthropic";
    /** {@code PluginConstants.factoryPid(PLUGIN_ID)}, spelled out because annotations need a constant. */
    static final String FACTORY_PID = "anthropic";

    @ObjectClassDefinition(name = "Grambot Anthropic inference",
            description = "A Claude model from Anthropic (Messages API).")
    public @interface Config {

        @AttributeDefinition(name = "Enabled", description = "Whether this instance runs.")
        boolean enabled() default true;

        @AttributeDefinition(name = "Base URL", description = "Where the API is, without /v1: "
                + AnthropicSettings.DEFAULT_BASE_URL + " for Anthropic, or a proxy or gateway that speaks its "
                + "Messages API. Calls go to <baseUrl>/v1/messages and <baseUrl>/v1/models.")
        @SettingFormat(format = "uri", pattern = "^https?://")
        String baseUrl() default AnthropicSettings.DEFAULT_BASE_URL;

        @AttributeDefinition(name = "Model", description = "The model a bot uses unless it names one, for example "
                + AnthropicSettings.DEFAULT_MODEL + ", claude-opus-4-1 or claude-haiku-4-5 (an alias, or a dated "
                + "id such as claude-sonnet-4-5-20250929; the connection test lists them).", min = "1")
        String model() default AnthropicSettings.DEFAULT_MODEL;

        @AttributeDefinition(name = "API key", type = AttributeType.PASSWORD, required = false,
                description = "An Anthropic API key (console.anthropic.com), sent as x-api-key; stored in the "
                        + "secrets store. Not used while an OAuth token is set.")
        String apiKey() default "";

        @AttributeDefinition(name = "OAuth token", type = AttributeType.PASSWORD, required = false,
                description = "Instead of an API key: an OAuth access token, sent as Authorization: Bearer with "
                        + "anthropic-beta: " + AnthropicConnection.OAUTH_BETA + ". If both are set, this token "
                        + "wins and the API key is not sent. It expires and is not refreshed: put in a new one when "
                        + "calls answer 401. Stored in the secrets store.")
        String authToken() default "";

        @AttributeDefinition(name = "API version", description = "Sent as anthropic-version.", min = "1")
        String anthropicVersion() default AnthropicSettings.DEFAULT_VERSION;

        @AttributeDefinition(name = "Beta features", required = false, description = "anthropic-beta values sent "
                + "with every call, separated by commas (for example context-1m-2025-08-07), or empty.")
        String betas() default "";

        @AttributeDefinition(name = "Max tokens", description = "The most tokens an answer may have when the bot "
                + "sets no limit (its maxTokens is 0); Anthropic needs a limit on every call.", min = "1")
        int maxTokens() default 4096;

        @AttributeDefinition(name = "Timeout (seconds)", description = "The most time one call may take; for a "
                + "streamed answer, until it starts and between two pieces.", min = "1", max = "3600")
        int timeoutSeconds() default 300;

        @AttributeDefinition(name = "Retries", description = "How often a call is repeated after a refused or "
                + "dropped connection, 408, 429, 5xx or 529 overloaded (with backoff, honouring retry-after).",
                min = "0", max = "10")
        int maxRetries() default 3;
    }

    private final String instanceId;
    private final AnthropicSettings settings;
    private final AnthropicConnection connection;
    private final Messages messages;
    private final HttpLog log;

    @Activate
    public AnthropicProvider(Config config, @Reference(name = PluginConstants.CONTEXT_REFERENCE) PluginContext context,
            @Reference(service = LoggerFactory.class) Logger logger) {
        this(context.instanceId(), AnthropicSettings.of(config), key -> context.secrets().get(key), log(logger),
                Sleeper.REAL);
    }

    /** @param secrets the instance's secrets by key ({@code apiKey}, {@code authToken}), read for every call */
    AnthropicProvider(String instanceId, AnthropicSettings settings, Function<String, Optional<Secret>> secrets,
            HttpLog log, Sleeper sleeper) {
        this.instanceId = instanceId;
        this.settings = settings;
        this.log = log;
        JsonHttpClient http = JsonHttpClient.builder().retry(RetryPolicy.retries(settings.maxRetries()))
                .timeout(settings.timeout()).log(log).sleeper(sleeper).build();
        this.connection = new AnthropicConnection(settings, secrets, http);
        this.messages = new Messages(connection);
    }

    @Override
    public String id() {
        return instanceId;
    }

    @Override
    public ChatResponse chat(ChatRequest request) throws PluginException {
        return messages.chat(request, model(request), null);
    }

    @Override
    public ChatResponse chat(ChatRequest request, StreamListener listener) throws PluginException {
        return messages.chat(request, model(request), listener);
    }

    /** The configured model first, then the others Anthropic lists; only the configured one if it cannot be asked. */
    @Override
    public List<String> models() {
        List<String> models = new ArrayList<>();
        models.add(settings.model());
        try {
            connection.modelIds(connection.credential()).stream().filter(id -> !id.equals(settings.model()))
                    .forEach(models::add);
        } catch (PluginException e) {
            log.warn("instance '" + instanceId + "' cannot list the models: " + e.getMessage());
        }
        return models;
    }

    /** Lists the models ({@code GET /v1/models}): it checks the address and the credential without costing anything. */
    @Override
    public ConnectionTestResult testConnection() {
        try {
            AnthropicConnection.Credential credential = connection.credential();
            List<String> ids = connection.modelIds(credential);
            String model = settings.model();
            // an alias such as claude-sonnet-4-5 is not listed itself, its dated snapshot (…-20250929) is; a mere
            // prefix is not enough: claude-opus-4-1-20250805 is no snapshot of claude-opus-4
            String listed = ids.contains(model) ? model
                    : ids.stream().filter(id -> id.startsWith(model + "-")
                            && id.substring(model.length() + 1).matches("\\d{8}")).findFirst().orElse(null);
            String found = listed == null ? "; the configured model '" + model + "' is not among them"
                    : listed.equals(model) ? ", among them the configured model '" + model + "'"
                            : ", among them '" + listed + "' for the configured model '" + model + "'";
            return ConnectionTestResult.ok("reached " + settings.baseUrl() + " with " + credential.kind().description
                    + ": it lists " + ids.size() + " models" + found);
        } catch (PluginException e) {
            return ConnectionTestResult.failed(e.getMessage());
        }
    }

    private String model(ChatRequest request) {
        return request.model() == null || request.model().isBlank() ? settings.model() : request.model().strip();
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
