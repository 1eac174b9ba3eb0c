package io.grambot.plugin.nanobanana.internal;

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
import io.grambot.api.image.ImageGenerator;
import io.grambot.api.image.ImageRequest;
import io.grambot.api.image.ImageResult;
import io.grambot.http.HttpLog;
import io.grambot.http.JsonHttpClient;
import io.grambot.http.RetryPolicy;
import io.grambot.http.Sleeper;

/**
 * Makes and edits images with Google's Gemini image models ("Nano Banana") through the Gemini API. One component
 * object per instance.
 */
@GrambotPlugin(id = NanoBananaGenerator.PLUGIN_ID, name = "Nano Banana",
        description = "Makes and edits images with Google's Gemini image models (Nano Banana) through the Gemini API.")
@Designate(ocd = NanoBananaGenerator.Config.class, factory = true)
@Component(configurationPid = NanoBananaGenerator.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = { ImageGenerator.class, ConnectionTest.class })
public final class NanoBananaGenerator implements ImageGenerator, ConnectionTest {

    static final String PLUGIN_ID = "nanobanana";
    /** {@code PluginConstants.factoryPid(PLUGIN_ID)}, spelled out because annotations need a constant. */
    static final String FACTORY_PID = "nanobanana";

    @ObjectClassDefinition(name = "Grambot Nano Banana image generation",
            description = "Images from Google's Gemini image models (\"Nano Banana\"), made and edited through the "
                    + "Gemini API's generateContent.")
    public @interface Config {

        @AttributeDefinition(name = "Enabled", description = "Whether this instance runs.")
        boolean enabled() default true;

        @AttributeDefinition(name = "Base URL", description = "Where the Gemini API is, without /v1beta: "
                + NanoBananaSettings.DEFAULT_BASE_URL + " for Google, or a proxy that speaks the same API. Calls "
                + "go to <baseUrl>/v1beta/models/<model>:generateContent and <baseUrl>/v1beta/models.")
        @SettingFormat(format = "uri", pattern = "^https?://")
        String baseUrl() default NanoBananaSettings.DEFAULT_BASE_URL;

        @AttributeDefinition(name = "API key", type = AttributeType.PASSWORD, required = false,
                description = "A Gemini API key (from https://aistudio.google.com/apikey), sent as the "
                        + "x-goog-api-key header, never in the URL; stored in the secrets store. Needed for Google's "
                        + "own address; a proxy may add its own.")
        String apiKey() default "";

        @AttributeDefinition(name = "Model", description = "The Gemini image model: "
                + NanoBananaSettings.DEFAULT_MODEL + " (Nano Banana, fast) or " + NanoBananaSettings.PRO_MODEL
                + " (Nano Banana Pro, preview: better text in images, up to 4K), or another image model's id "
                + "(the connection test lists them).", min = "1")
        @SettingFormat(pattern = "^(models/)?[A-Za-z0-9][A-Za-z0-9._-]*$")
        String model() default NanoBananaSettings.DEFAULT_MODEL;

        @AttributeDefinition(name = "Aspect ratio", required = false, description = "The aspect ratio of images "
                + "whose request names none; empty leaves it to the model (square, or the shape of an input image). "
                + "A request's size (16:9, 1792x1024) or its aspectRatio option wins.",
                options = { @Option(label = "the model's default", value = ""), @Option(label = "1:1", value = "1:1"),
                        @Option(label = "2:3", value = "2:3"), @Option(label = "3:2", value = "3:2"),
                        @Option(label = "3:4", value = "3:4"), @Option(label = "4:3", value = "4:3"),
                        @Option(label = "4:5", value = "4:5"), @Option(label = "5:4", value = "5:4"),
                        @Option(label = "9:16", value = "9:16"), @Option(label = "16:9", value = "16:9"),
                        @Option(label = "21:9", value = "21:9") })
        String aspectRatio() default "";

        @AttributeDefinition(name = "Image size", required = false, description = "The resolution of images whose "
                + "request names none, for models that take one (" + NanoBananaSettings.PRO_MODEL + "): 1K, 2K or "
                + "4K on the longer side; empty leaves it to the model (1K). Leave it empty for "
                + NanoBananaSettings.DEFAULT_MODEL + ", which makes 1K images only.",
                options = { @Option(label = "the model's default", value = ""), @Option(label = "1K", value = "1K"),
                        @Option(label = "2K", value = "2K"), @Option(label = "4K", value = "4K") })
        String imageSize() default "";

        @AttributeDefinition(name = "Timeout (seconds)", description = "The most time one call may take; an image "
                + "takes seconds, a 4K image from the Pro model up to a minute or more.", min = "1", max = "3600")
        int timeoutSeconds() default 120;

        @AttributeDefinition(name = "Retries", description = "How often a call is repeated after a refused or "
                + "dropped connection, 408, 429 RESOURCE_EXHAUSTED or 5xx UNAVAILABLE (with backoff, honouring "
                + "Google's retryDelay and Retry-After up to a minute).", min = "0", max = "10")
        int maxRetries() default 3;
    }

    private final String instanceId;
    private final NanoBananaSettings settings;
    private final GeminiConnection connection;
    private final GenerateContent generateContent;

    @Activate
    public NanoBananaGenerator(Config config,
            @Reference(name = PluginConstants.CONTEXT_REFERENCE) PluginContext context,
            @Reference(service = LoggerFactory.class) Logger logger) {
        this(context.instanceId(), NanoBananaSettings.of(config), key -> context.secrets().get(key), log(logger),
                Sleeper.REAL);
    }

    /** @param secrets the instance's secrets by key ({@code apiKey}), read for every call */
    NanoBananaGenerator(String instanceId, NanoBananaSettings settings, Function<String, Optional<Secret>> secrets,
            HttpLog log, Sleeper sleeper) {
        this.instanceId = instanceId;
        this.settings = settings;
        JsonHttpClient http = JsonHttpClient.builder().retry(RetryPolicy.retries(settings.maxRetries()))
                .timeout(settings.timeout()).log(log).sleeper(sleeper).mapper(GeminiConnection.mapper())
                .errorParser(GeminiConnection::error).retryAfterHook(GeminiConnection::retryDelay)
                .maxBodyBytes(GeminiConnection.MAX_ANSWER_BYTES).build();
        this.connection = new GeminiConnection(settings, secrets, http);
        this.generateContent = new GenerateContent(connection, log);
    }

    @Override
    public String id() {
        return instanceId;
    }

    @Override
    public ImageResult generate(ImageRequest request) throws PluginException {
        return generateContent.generate(request);
    }

    /**
     * Lists the models ({@code GET /v1beta/models}): it checks the address and the key without costing anything, and
     * says whether the configured model is among those the key can use.
     */
    @Override
    public ConnectionTestResult testConnection() {
        try {
            Optional<Secret> key = connection.apiKey();
            List<String> names = connection.modelNames(key);
            String model = settings.model();
            String found = names.contains("models/" + model) || names.contains(model)
                    ? ", among them the configured model '" + model + "'"
                    : "; the configured model '" + model + "' is not among them (check the setting 'model')";
            return ConnectionTestResult.ok("reached " + settings.baseUrl() + (key.isPresent() ? " with the API key"
                    : " without an API key") + ": it lists " + names.size() + " models" + found);
        } catch (PluginException e) {
            return ConnectionTestResult.failed(e.getMessage());
        }
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
