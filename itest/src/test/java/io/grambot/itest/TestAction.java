package io.grambot.itest;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import io.grambot.api.GrambotPlugin;
import io.grambot.api.PluginConstants;
import io.grambot.api.PluginContext;
import io.grambot.api.PluginException;
import io.grambot.api.action.Action;
import io.grambot.api.action.ActionContext;
import io.grambot.api.action.ActionResult;
import io.grambot.api.action.ActionRetry;

/**
 * A test plugin offering one action that echoes its {@code text}: always ({@code ok}), after failing retryably
 * {@code failures} times ({@code flaky}), or never ({@code fail}). It keeps a secret, for redaction tests.
 */
@Designate(ocd = TestAction.Config.class, factory = true)
@GrambotPlugin(id = "testaction", name = "Test action", description = "An action that echoes, fails or is flaky.")
@Component(configurationPid = "testaction", configurationPolicy = ConfigurationPolicy.REQUIRE, service = Action.class)
public final class TestAction implements Action {

    @ObjectClassDefinition(name = "Test action plugin")
    public @interface Config {
        @AttributeDefinition(required = false)
        String actionName() default "echo";

        @AttributeDefinition(required = false, description = "ok, flaky or fail")
        String behaviour() default "ok";

        @AttributeDefinition(required = false, min = "0")
        int failures() default 2;

        @AttributeDefinition(required = false, min = "1")
        int maxAttempts() default 3;

        @AttributeDefinition(type = AttributeType.PASSWORD, required = false)
        String apiKey() default "";
    }

    private final String name;
    private final String behaviour;
    private final int failures;
    private final int maxAttempts;
    private final AtomicInteger calls = new AtomicInteger();

    @Activate
    public TestAction(Config config, @Reference(name = PluginConstants.CONTEXT_REFERENCE) PluginContext context) {
        this.name = config.actionName();
        this.behaviour = config.behaviour();
        this.failures = config.failures();
        this.maxAttempts = config.maxAttempts();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return "Echoes the text.";
    }

    @Override
    public Map<String, Object> inputSchema() {
        return Map.of("type", "object", "properties", Map.of("text", Map.of("type", "string")), "required",
                List.of("text"));
    }

    @Override
    public ActionRetry retry() {
        // short waits: the test runs on the real clock
        return new ActionRetry(maxAttempts, Duration.ofMillis(10), 2, Duration.ofMillis(50), 0.2, false);
    }

    @Override
    public ActionResult execute(Map<String, Object> payload, ActionContext context) throws PluginException {
        int call = calls.incrementAndGet();
        if (behaviour.equals("fail")) {
            throw new PluginException("the remote end refuses " + payload.get("text"), 400, false, null, null);
        }
        if (behaviour.equals("flaky") && call <= failures) {
            throw new PluginException("busy, try again (" + payload.get("text") + ")", 503, true, null, null);
        }
        return new ActionResult(Map.of("echo", payload.get("text"), "attempt", context.attempt()),
                "echoed " + payload.get("text"));
    }
}
