package io.grambot.plugin.webhooks.internal;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.osgi.annotation.bundle.Capability;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
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
import io.grambot.api.action.Action;
import io.grambot.api.action.Trigger;
import io.grambot.http.ApiRequest;
import io.grambot.http.ApiResponse;
import io.grambot.http.JsonHttpClient;
import io.grambot.http.Redactor;
import io.grambot.http.RetryPolicy;

/**
 * The webhooks plugin, one component object per instance: a {@value WebhookTrigger#NAME} trigger (a JSON
 * {@code POST} with the instance's secret on Grambot's HTTP server fires it), an {@value HttpRequestAction#NAME}
 * action (an HTTP request to an allowed host) and a connection test. The trigger and the action are registered as
 * services of their own, with the instance's {@value PluginConstants#INSTANCE_ID}, because one object cannot be both
 * (each has its own {@code name()}); they go when the instance stops.
 */
// the trigger and the action are registered by the component itself, so their capabilities are declared here
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=io.grambot.api.action.Trigger",
        uses = Trigger.class)
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=io.grambot.api.action.Action",
        uses = Action.class)
@GrambotPlugin(id = Webhooks.PLUGIN_ID, name = "Webhooks",
        description = "A webhook trigger on Grambot's HTTP server and an HTTP request action, for flows.")
@Designate(ocd = Webhooks.Config.class, factory = true)
// immediate: the component registers the trigger and the action itself, so it must not wait for a ConnectionTest user
@Component(configurationPid = Webhooks.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = ConnectionTest.class, immediate = true)
public final class Webhooks implements ConnectionTest {

    static final String PLUGIN_ID = "webhooks";
    /** {@code PluginConstants.factoryPid(PLUGIN_ID)}, spelled out because annotations need a constant. */
    static final String FACTORY_PID = "webhooks";
    /** The secret (a setting of type password, kept in the instance's secrets) callers must prove they know. */
    static final String SECRET = "secret";

    @ObjectClassDefinition(name = "Grambot Webhooks",
            description = "A webhook trigger (POST <path> with a shared secret) and an http_request action.")
    public @interface Config {

        @AttributeDefinition(name = "Enabled", description = "Whether this instance runs.")
        boolean enabled() default true;

        @AttributeDefinition(name = "Path", required = false, description = "Where the webhook is served on "
                + "Grambot's HTTP server, such as /hooks/orders; empty for /hooks/<instance id>. Each instance "
                + "needs a path of its own.")
        @SettingFormat(pattern = "^((/[A-Za-z0-9._~-]+)+/?)?$")
        String path() default "";

        @AttributeDefinition(name = "Secret", type = AttributeType.PASSWORD, required = false,
                description = "The shared secret callers prove they know; without it every request is refused. "
                        + "Stored in the secrets store.")
        String secret() default "";

        @AttributeDefinition(name = "Signature", description = "How callers prove it: the secret itself in the "
                + "header X-Webhook-Secret, or an HMAC-SHA256 of the body under the secret in X-Hub-Signature-256 "
                + "(sha256=<hex>), as GitHub signs its webhooks.",
                options = { @Option(label = "Secret in X-Webhook-Secret", value = "header"),
                        @Option(label = "HMAC-SHA256 in X-Hub-Signature-256 (GitHub)", value = "hmac-sha256") })
        String signature() default "header";

        @AttributeDefinition(name = "Largest body (bytes)", description = "Larger requests are refused with 413.",
                min = "1", max = "67108864")
        int maxBodyBytes() default WebhookSettings.DEFAULT_MAX_BODY_BYTES;

        @AttributeDefinition(name = "Headers passed on", required = false, description = "The request headers "
                + "the fired data carries, separated by commas. Headers that carry credentials (X-Webhook-Secret, "
                + "X-Hub-Signature-256, Authorization, Cookie) are never passed on.")
        String forwardHeaders() default WebhookSettings.DEFAULT_FORWARD_HEADERS;

        @AttributeDefinition(name = "Allowed hosts", required = false, description = "The hosts http_request may "
                + "call, separated by commas: names or IP addresses (api.example.org), *.example.org for every "
                + "host below example.org, or * for every host. Empty: none, so http_request refuses every call.")
        String allowedHosts() default "";

        @AttributeDefinition(name = "Attempts", description = "How many attempts an http_request makes at most: "
                + "after a refused or dropped connection, a timeout, 408, 429 or 5xx the core tries again (backoff "
                + "from 1 s, honouring Retry-After); 1 never repeats a request.", min = "1", max = "10")
        int maxAttempts() default WebhookSettings.DEFAULT_MAX_ATTEMPTS;

        @AttributeDefinition(name = "Timeout (seconds)", description = "The most one attempt of http_request (and "
                + "the connection test) may take.", min = "1", max = "600")
        int timeoutSeconds() default WebhookSettings.DEFAULT_TIMEOUT_SECONDS;

        @AttributeDefinition(name = "Test URL", required = false, description = "What Test connection asks with a "
                + "GET (it must answer 2xx), such as https://api.example.org/health; empty: the test only checks "
                + "the settings and the secret.")
        @SettingFormat(format = "uri", pattern = "^https?://")
        String testUrl();
    }

    private final String instanceId;
    private final WebhookSettings settings;
    private final Function<String, Optional<Secret>> secrets;
    private final JsonHttpClient http;
    private final WebhookTrigger trigger;
    private final HttpRequestAction action;
    private final List<AutoCloseable> registrations = new ArrayList<>();
    private final Log log;

    @Activate
    public Webhooks(Config config, @Reference(name = PluginConstants.CONTEXT_REFERENCE) PluginContext context,
            @Reference(service = LoggerFactory.class) Logger logger, BundleContext bundleContext) {
        this(context.instanceId(), context.pluginId(), WebhookSettings.of(config, context.instanceId()),
                key -> context.secrets().get(key), Log.of(logger), Whiteboard.of(bundleContext), Clock.systemUTC());
    }

    /**
     * Builds the instance and registers its trigger and action.
     *
     * @param secrets the instance's secrets by key ({@value #SECRET}), read for every request
     */
    Webhooks(String instanceId, String pluginId, WebhookSettings settings, Function<String, Optional<Secret>> secrets,
            Log log, Whiteboard whiteboard, Clock clock) {
        this.instanceId = instanceId;
        this.settings = settings;
        this.secrets = secrets;
        this.log = log.redacting(() -> secrets.apply(SECRET).map(s -> List.of(s.reveal())).orElse(List.of()));
        Duration connect = settings.timeout().compareTo(Duration.ofSeconds(10)) < 0 ? settings.timeout()
                : Duration.ofSeconds(10);
        this.http = JsonHttpClient.builder().connectTimeout(connect).timeout(settings.timeout())
                // one attempt per call: the core's invoker repeats failed attempts as the action's retry() says
                .retry(RetryPolicy.DEFAULT.withMaxAttempts(1)).maxBodyBytes(HttpRequestAction.MAX_RESPONSE_BYTES)
                .log(this.log.http()).userAgent("Grambot-Webhooks").build();
        this.trigger = new WebhookTrigger(instanceId, settings, () -> secrets.apply(SECRET), whiteboard, this.log,
                clock);
        this.action = new HttpRequestAction(instanceId, settings, http);
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put(PluginConstants.INSTANCE_ID, instanceId);
        properties.put(PluginConstants.PLUGIN_ID, pluginId);
        try {
            registrations.add(whiteboard.register(Trigger.class, trigger, properties));
            registrations.add(whiteboard.register(Action.class, action, properties));
        } catch (RuntimeException e) {
            deactivate();
            throw e;
        }
    }

    /** Withdraws the action and the trigger, and takes the webhook off the server if it is still served. */
    @Deactivate
    void deactivate() {
        for (AutoCloseable registration : registrations) {
            try {
                registration.close();
            } catch (Exception e) {
                log.warn("webhooks '" + instanceId + "' could not unregister a service: " + e);
            }
        }
        registrations.clear();
        trigger.close(); // the core closes its subscription when the trigger goes; this makes sure of it
    }

    WebhookTrigger trigger() {
        return trigger;
    }

    HttpRequestAction action() {
        return action;
    }

    /**
     * Checks the instance without side effects: it must have its secret (else every webhook request is refused), and
     * when {@code testUrl} is set a {@code GET} to it must answer 2xx. Never throws.
     */
    @Override
    public ConnectionTestResult testConnection() {
        try {
            String served = trigger.subscribed() ? "the webhook is served at " + settings.path()
                    : "the webhook will be served at " + settings.path() + " once the trigger is subscribed";
            if (secrets.apply(SECRET).filter(s -> !s.isEmpty()).isEmpty()) {
                return ConnectionTestResult.failed("instance '" + instanceId + "' has no secret, so every request "
                        + "to " + settings.path() + " is refused with 401: set its secret '" + SECRET + "'");
            }
            Optional<URI> testUrl = settings.testUrl();
            if (testUrl.isEmpty()) {
                return ConnectionTestResult.ok("no test URL configured; " + served);
            }
            long started = System.nanoTime();
            ApiResponse response = http.send(ApiRequest.get(testUrl.get()).header("Accept", "*/*"));
            long millis = (System.nanoTime() - started) / 1_000_000;
            return ConnectionTestResult.ok("GET " + testUrl.get() + " answered " + response.status() + " in "
                    + millis + " ms; " + served);
        } catch (PluginException e) {
            return ConnectionTestResult.failed(masked(e.getMessage()));
        } catch (RuntimeException e) {
            return ConnectionTestResult.failed(masked("the connection test of instance '" + instanceId + "' failed: "
                    + e));
        }
    }

    /** The text with the instance's secret masked, should it ever be in it. */
    private String masked(String text) {
        return Redactor.of(secrets.apply(SECRET).map(s -> List.of(s.reveal())).orElse(List.of())).redact(text);
    }
}
