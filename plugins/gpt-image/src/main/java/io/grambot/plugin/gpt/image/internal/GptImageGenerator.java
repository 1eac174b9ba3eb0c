package io.grambot.plugin.gpt.image.internal;

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

import com.fasterxml.jackson.databind.JsonNode;

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
 * Draws and edits images with OpenAI's image models (gpt-image-1, gpt-image-1-mini, dall-e-3) through the Images API,
 * or with any server that speaks it. One component object per instance.
 */
@GrambotPlugin(id = GptImageGenerator.PLUGIN_ID, name = "GPT Image",
        description = "Draws and edits images with OpenAI's image models (gpt-image-1, gpt-image-1-mini, dall-e-3).")
@Designate(ocd = GptImageGenerator.Config.class, factory = true)
@Component(configurationPid = GptImageGenerator.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = { ImageGenerator.class, ConnectionTest.class })
public final class GptImageGenerator implements ImageGenerator, ConnectionTest {

    static final String PLUGIN_ID = "gpt-image";
    /** {@code PluginConstants.factoryPid(PLUGIN_ID)}, spelled out because annotations need a constant. */
    static final String FACTORY_PID = "gpt.image";
    /** The largest answer read: base64 makes a third more of the images (about 10 large PNGs). */
    static final long MAX_ANSWER_BYTES = 64L * 1024 * 1024;

    @ObjectClassDefinition(name = "Grambot GPT Image generator",
            description = "Images from OpenAI's image models (Images API: generations and edits).")
    public @interface Config {

        @AttributeDefinition(name = "Enabled", description = "Whether this instance runs.")
        boolean enabled() default true;

        @AttributeDefinition(name = "Base URL", description = "Where the API is: " + GptImageSettings.DEFAULT_BASE_URL
                + " for OpenAI, or a server that speaks its Images API. Calls go to <baseUrl>/images/generations, "
                + "<baseUrl>/images/edits and <baseUrl>/models/<model>.")
        @SettingFormat(format = "uri", pattern = "^https?://")
        String baseUrl() default GptImageSettings.DEFAULT_BASE_URL;

        @AttributeDefinition(name = "API key", type = AttributeType.PASSWORD, required = false,
                description = "An OpenAI API key (platform.openai.com/api-keys), sent as a Bearer token; stored in "
                        + "the secrets store. Needed for api.openai.com; leave empty for a server that needs none.")
        String apiKey() default "";

        @AttributeDefinition(name = "Organization", required = false,
                description = "OpenAI organization id sent as OpenAI-Organization, or empty.")
        String organization() default "";

        @AttributeDefinition(name = "Model", description = "The image model. gpt-image-1 and gpt-image-1-mini (cheaper) "
                + "generate and edit, with every option below (they need a verified organization); dall-e-3 only "
                + "generates, one image per request, in 1024x1024, 1792x1024 or 1024x1792, as PNG.",
                options = { @Option(label = "gpt-image-1", value = GptImageSettings.DEFAULT_MODEL),
                        @Option(label = "gpt-image-1-mini", value = "gpt-image-1-mini"),
                        @Option(label = "dall-e-3", value = GptImageSettings.DALL_E_3) })
        String model() default GptImageSettings.DEFAULT_MODEL;

        @AttributeDefinition(name = "Size", description = "The size of an image unless the request names one "
                + "(width x height); auto lets the model choose (dall-e-3: 1024x1024).",
                options = { @Option(label = "auto", value = GptImageSettings.AUTO),
                        @Option(label = "1024x1024 (square)", value = "1024x1024"),
                        @Option(label = "1536x1024 (landscape)", value = "1536x1024"),
                        @Option(label = "1024x1536 (portrait)", value = "1024x1536") })
        String size() default GptImageSettings.AUTO;

        @AttributeDefinition(name = "Quality", description = "Rendering quality unless the request names one: higher "
                + "costs more and takes longer; auto lets the model choose. dall-e-3 makes high into hd, low and "
                + "medium into standard.",
                options = { @Option(label = "auto", value = GptImageSettings.AUTO),
                        @Option(label = "low", value = "low"), @Option(label = "medium", value = "medium"),
                        @Option(label = "high", value = "high") })
        String quality() default GptImageSettings.AUTO;

        @AttributeDefinition(name = "Output format", description = "The file format of the images unless the request "
                + "names one (GPT image models; dall-e-3 makes PNG).",
                options = { @Option(label = "PNG", value = "png"), @Option(label = "JPEG", value = "jpeg"),
                        @Option(label = "WebP", value = "webp") })
        String outputFormat() default "png";

        @AttributeDefinition(name = "Background", description = "transparent (needs PNG or WebP), opaque, or auto (the "
                + "model chooses), unless the request names one (GPT image models).",
                options = { @Option(label = "auto", value = GptImageSettings.AUTO),
                        @Option(label = "transparent", value = GptImageSettings.TRANSPARENT),
                        @Option(label = "opaque", value = "opaque") })
        String background() default GptImageSettings.AUTO;

        @AttributeDefinition(name = "Moderation", description = "How strictly OpenAI filters generated images: auto "
                + "(standard) or low (less restrictive), unless the request names one (GPT image models; edits take "
                + "none).",
                options = { @Option(label = "auto", value = GptImageSettings.AUTO),
                        @Option(label = "low", value = "low") })
        String moderation() default GptImageSettings.AUTO;

        @AttributeDefinition(name = "Max images", description = "The most images one request may ask for (n); a "
                + "request for more is refused.", min = "1", max = "10")
        int maxImages() default 4;

        @AttributeDefinition(name = "Timeout (seconds)", description = "The most time one call may take: a generation "
                + "takes from seconds to a few minutes (high quality, several images).", min = "1", max = "3600")
        int timeoutSeconds() default 300;

        @AttributeDefinition(name = "Retries", description = "How often a call is repeated after a refused or "
                + "dropped connection, 408, 429 or 5xx (with backoff, honouring Retry-After). Each attempt may take "
                + "minutes.", min = "0", max = "10")
        int maxRetries() default 2;
    }

    private final String instanceId;
    private final GptImageSettings settings;
    private final GptImageConnection connection;
    private final Images images;

    @Activate
    public GptImageGenerator(Config config, @Reference(name = PluginConstants.CONTEXT_REFERENCE) PluginContext context,
            @Reference(service = LoggerFactory.class) Logger logger) {
        this(context.instanceId(), GptImageSettings.of(config), key -> context.secrets().get(key), log(logger),
                Sleeper.REAL);
    }

    /** @param secrets the instance's secrets by key ({@code apiKey}), read for every call */
    GptImageGenerator(String instanceId, GptImageSettings settings, Function<String, Optional<Secret>> secrets,
            HttpLog log, Sleeper sleeper) {
        this.instanceId = instanceId;
        this.settings = settings;
        JsonHttpClient http = JsonHttpClient.builder().retry(RetryPolicy.retries(settings.maxRetries()))
                .timeout(settings.timeout()).maxBodyBytes(MAX_ANSWER_BYTES).log(log).sleeper(sleeper).build();
        this.connection = new GptImageConnection(settings, secrets, http);
        this.images = new Images(connection);
    }

    @Override
    public String id() {
        return instanceId;
    }

    /**
     * Generates from the prompt ({@code POST /images/generations}), or edits the request's input images
     * ({@code POST /images/edits}). The request's size, count and options (quality, background, output_format,
     * moderation, mask) win over the settings.
     */
    @Override
    public ImageResult generate(ImageRequest request) throws PluginException {
        return images.generate(ImageCall.of(request, settings));
    }

    /** Asks for the configured model ({@code GET /models/<model>}): it checks the address and the key, billing nothing. */
    @Override
    public ConnectionTestResult testConnection() {
        try {
            Optional<Secret> key = connection.apiKey();
            JsonNode model = connection.model(key);
            String id = Json.text(model.get("id"));
            String owner = Json.text(model.get("owned_by"));
            return ConnectionTestResult.ok("reached " + settings.baseUrl() + " with " + (key.isPresent()
                    ? "the API key" : "no API key") + ": the model '" + id + "' is available"
                    + (owner == null ? "" : " (owned by " + owner + ")"));
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
