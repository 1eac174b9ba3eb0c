package io.grambot.plugin.openai.codex.internal;

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
import org.osgi.service.metatype.annotations.Option;

import io.grambot.api.ConnectionTest;
import io.grambot.api.ConnectionTestResult;
import io.grambot.api.GrambotPlugin;
import io.grambot.api.PluginConstants;
import io.grambot.api.PluginContext;
import io.grambot.api.PluginException;
import io.grambot.api.Secret;
import io.grambot.api.SettingFormat;
import io.grambot.api.inference.ChatMessage;
import io.grambot.api.inference.ChatRequest;
import io.grambot.api.inference.ChatResponse;
import io.grambot.api.inference.InferenceProvider;
import io.grambot.api.inference.StreamListener;
import io.grambot.http.HttpLog;
import io.grambot.http.JsonHttpClient;
import io.grambot.http.RetryPolicy;
import io.grambot.http.Sleeper;

/**
 * Answers with OpenAI models, or with any server that speaks OpenAI's Chat Completions or Responses protocol (a local
 * model server needs no API key), or through a ChatGPT sign-in at OpenAI's Codex endpoint. One component object per
 * instance.
 */
@GrambotPlugin(id = OpenAiCodexProvider.PLUGIN_ID, name = "OpenAI",
        description = "Answers with OpenAI models or any OpenAI-compatible server, such as a local model server.")
@Designate(ocd = OpenAiCodexProvider.Config.class, factory = true)
@Component(configurationPid = OpenAiCodexProvider.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = { InferenceProvider.class, ConnectionTest.class })
public final class OpenAiCodexProvider implements InferenceProvider, ConnectionTest {

    static final String PLUGIN_ID = "openai-codex";
    /** {@code PluginConstants.factoryPid(PLUGIN_ID)}, spelled out because annotations need a constant. */
    static final String FACTORY_PID = "openai.codex";
    /** What the connection test of a ChatGPT sign-in asks: a turn as small as a turn can be. */
    static final ChatRequest PROBE = new ChatRequest(null, "Answer with the single word OK.",
            List.of(ChatMessage.user("ping")), List.of(), 0);

    @ObjectClassDefinition(name = "Grambot OpenAI inference",
            description = "A model from OpenAI, from any OpenAI-compatible server, or through a ChatGPT sign-in "
                    + "(Chat Completions or Responses API).")
    public @interface Config {

        @AttributeDefinition(name = "Enabled", description = "Whether this instance runs.")
        boolean enabled() default true;

        @AttributeDefinition(name = "Base URL", description = "Where the API is: https://api.openai.com/v1 for "
                + "OpenAI, a compatible server such as http://127.0.0.1:11434/v1 (a local model server), or "
                + OpenAiSettings.CODEX_BASE_URL + " (the Codex endpoint) with a ChatGPT sign-in. Calls go to "
                + "<baseUrl>/chat/completions or <baseUrl>/responses, and <baseUrl>/models.")
        @SettingFormat(format = "uri", pattern = "^https?://")
        String baseUrl() default "https://api.openai.com/v1";

        @AttributeDefinition(name = "API", description = "The protocol: Chat Completions, which OpenAI and every "
                + "OpenAI-compatible server speak, or the Responses API, OpenAI's newer one (some local servers speak "
                + "it too), which a ChatGPT sign-in needs.",
                options = { @Option(label = "Chat Completions (POST /chat/completions)", value = "chat-completions"),
                        @Option(label = "Responses (POST /responses)", value = "responses") })
        String api() default "chat-completions";

        @AttributeDefinition(name = "Model", description = "The model a bot uses unless it names one, for example "
                + "gpt-4.1-mini, or the name of a model your local server has loaded.", min = "1")
        String model() default "gpt-4.1-mini";

        @AttributeDefinition(name = "API key", type = AttributeType.PASSWORD, required = false,
                description = "Sent as a Bearer token; stored in the secrets store. Leave empty for a local server "
                        + "that needs no key, or when signing in with a ChatGPT access token instead.")
        String apiKey() default "";

        @AttributeDefinition(name = "ChatGPT access token", type = AttributeType.PASSWORD, required = false,
                description = "Instead of an API key: the access token of a ChatGPT sign-in (tokens.access_token in "
                        + "~/.codex/auth.json after 'codex login'), sent as a Bearer token with the account id. Needs "
                        + "API 'responses' and the base URL " + OpenAiSettings.CODEX_BASE_URL + ". It expires and "
                        + "is not refreshed: put in a new one when calls answer 401. Stored in the secrets store.")
        String accessToken() default "";

        @AttributeDefinition(name = "ChatGPT account id", required = false,
                description = "With the ChatGPT access token: the account id (tokens.account_id in "
                        + "~/.codex/auth.json), sent as ChatGPT-Account-Id. Not used with an API key.")
        String accountId() default "";

        @AttributeDefinition(name = "Organization", required = false,
                description = "OpenAI organization id sent as OpenAI-Organization, or empty.")
        String organization() default "";

        @AttributeDefinition(name = "Timeout (seconds)", description = "The most time one call may take; for a "
                + "streamed answer, until it starts and between two pieces.", min = "1", max = "3600")
        int timeoutSeconds() default 120;

        @AttributeDefinition(name = "Retries", description = "How often a call is repeated after a refused or "
                + "dropped connection, 408, 429 or 5xx (with backoff, honouring Retry-After).", min = "0", max = "10")
        int maxRetries() default 3;

        @AttributeDefinition(name = "Token limit field", description = "Chat Completions only (the Responses API "
                + "has max_output_tokens): where a bot's max tokens go: "
                + "max_completion_tokens (OpenAI's newer models need it), max_tokens (most compatible servers), or "
                + "auto (the first for api.openai.com, the second elsewhere).",
                options = { @Option(label = "auto", value = OpenAiSettings.AUTO),
                        @Option(label = "max_tokens", value = OpenAiSettings.MAX_TOKENS),
                        @Option(label = "max_completion_tokens", value = OpenAiSettings.MAX_COMPLETION_TOKENS) })
        String maxTokensParameter() default OpenAiSettings.AUTO;
    }

    private final String instanceId;
    private final OpenAiSettings settings;
    private final OpenAiConnection connection;
    private final Dialect dialect;
    private final HttpLog log;

    @Activate
    public OpenAiCodexProvider(Config config, @Reference(name = PluginConstants.CONTEXT_REFERENCE) PluginContext context,
            @Reference(service = LoggerFactory.class) Logger logger) {
        this(context.instanceId(), OpenAiSettings.of(config), key -> context.secrets().get(key), log(logger),
                Sleeper.REAL);
    }

    /** @param secrets the instance's secrets by key ({@code apiKey}, {@code accessToken}), read for every call */
    OpenAiCodexProvider(String instanceId, OpenAiSettings settings, Function<String, Optional<Secret>> secrets,
            HttpLog log, Sleeper sleeper) {
        this.instanceId = instanceId;
        this.settings = settings;
        this.log = log;
        JsonHttpClient http = JsonHttpClient.builder().retry(RetryPolicy.retries(settings.maxRetries()))
                .timeout(settings.timeout()).log(log).sleeper(sleeper).build();
        this.connection = new OpenAiConnection(settings, secrets, http);
        Wire wire = new Wire(http.mapper());
        this.dialect = switch (settings.api()) {
            case CHAT_COMPLETIONS -> new ChatCompletions(connection, wire);
            case RESPONSES -> new Responses(connection, wire);
        };
    }

    @Override
    public String id() {
        return instanceId;
    }

    @Override
    public ChatResponse chat(ChatRequest request) throws PluginException {
        return dialect.chat(request, model(request), null);
    }

    @Override
    public ChatResponse chat(ChatRequest request, StreamListener listener) throws PluginException {
        return dialect.chat(request, model(request), listener);
    }

    /**
     * The configured model first, then the others the server lists; only the configured one if it cannot be asked,
     * and with a ChatGPT sign-in, whose Codex endpoint has no model list of OpenAI's shape.
     */
    @Override
    public List<String> models() {
        List<String> models = new ArrayList<>();
        models.add(settings.model());
        try {
            if (connection.credential().signIn()) {
                return models;
            }
            connection.modelIds().stream().filter(id -> !id.equals(settings.model())).forEach(models::add);
        } catch (PluginException e) {
            log.warn("instance '" + instanceId + "' cannot list the models: " + e.getMessage());
        }
        return models;
    }

    /**
     * Lists the models ({@code GET /models}): it checks the address and the key without costing anything. With a
     * ChatGPT sign-in, whose Codex endpoint lists no models of OpenAI's shape, it asks the configured model for a
     * one-word answer instead: the smallest call that proves the token, the account id and the model, at the cost of
     * a few tokens of the plan's usage limit.
     */
    @Override
    public ConnectionTestResult testConnection() {
        try {
            if (connection.credential().signIn()) {
                dialect.chat(PROBE, settings.model(), null);
                return ConnectionTestResult.ok("reached " + settings.baseUrl() + " with the ChatGPT sign-in of account '"
                        + settings.accountId() + "': the configured model '" + settings.model() + "' answers");
            }
            List<String> ids = connection.modelIds();
            String found = ids.contains(settings.model()) ? ", among them the configured model '" + settings.model()
                    + "'" : "; the configured model '" + settings.model() + "' is not among them";
            return ConnectionTestResult.ok("reached " + settings.baseUrl() + ": it lists " + ids.size() + " models"
                    + found);
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
