package io.grambot.itest;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import io.grambot.api.GrambotPlugin;
import io.grambot.api.PluginConstants;
import io.grambot.api.PluginContext;
import io.grambot.api.PluginException;
import io.grambot.api.action.Action;
import io.grambot.api.action.ActionContext;
import io.grambot.api.action.ActionResult;

/** A test plugin's action: records each payload and who invoked it; when told to, fails once the test says so. */
@Designate(ocd = FlowTestAction.Config.class, factory = true)
@GrambotPlugin(id = "flowaction", name = "Test action", description = "Records what it is given.")
// immediate: a delayed component would be disposed when the test, first to get it, lets go before the core binds it
@Component(configurationPid = "flowaction", configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true,
        service = Action.class)
public final class FlowTestAction implements Action {

    @ObjectClassDefinition(name = "Test action plugin")
    public @interface Config {
        @AttributeDefinition(required = false)
        String actionName() default "record";

        @AttributeDefinition(required = false, description = "ok, or fail-after-release: waits for the test, then"
                + " throws")
        String behaviour() default "ok";
    }

    /** One call as the action saw it. */
    record Call(Map<String, Object> payload, String invokedBy) {}

    private final String name;
    private final String behaviour;
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);

    @Activate
    public FlowTestAction(Config config, @Reference(name = PluginConstants.CONTEXT_REFERENCE) PluginContext context) {
        this.name = config.actionName();
        this.behaviour = config.behaviour();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return "Records the payload.";
    }

    @Override
    public Map<String, Object> inputSchema() {
        return Map.of("type", "object");
    }

    @Override
    public ActionResult execute(Map<String, Object> payload, ActionContext context) throws PluginException {
        calls.add(new Call(payload, context.invokedBy()));
        if (behaviour.equals("fail-after-release")) {
            started.countDown();
            try {
                release.await(Eventually.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new PluginException("the test action broke, as configured");
        }
        return new ActionResult(Map.of("received", payload, "count", calls.size()), "recorded " + calls.size());
    }

    List<Call> calls() {
        return List.copyOf(calls);
    }

    /** Waits (bounded) until a call is waiting for {@link #release}. */
    void awaitStarted() throws InterruptedException {
        if (!started.await(Eventually.TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError("action '" + name + "' was not called");
        }
    }

    void release() {
        release.countDown();
    }
}
