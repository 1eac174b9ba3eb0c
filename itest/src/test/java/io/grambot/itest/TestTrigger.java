package io.grambot.itest;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

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
import io.grambot.api.action.Trigger;

/** A test plugin's trigger: the test fires it; it counts subscribes and closes, and breaks when told to. */
@Designate(ocd = TestTrigger.Config.class, factory = true)
@GrambotPlugin(id = "testtrigger", name = "Test trigger", description = "Fires when the test says so.")
// immediate: a delayed component would be disposed when the test, first to get it, lets go before the core binds it
@Component(configurationPid = "testtrigger", configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true,
        service = Trigger.class)
public final class TestTrigger implements Trigger {

    @ObjectClassDefinition(name = "Test trigger plugin")
    public @interface Config {
        @AttributeDefinition(required = false)
        String triggerName() default "webhook";

        @AttributeDefinition(required = false, description = "ok or throw")
        String onSubscribe() default "ok";

        @AttributeDefinition(required = false, description = "ok or throw")
        String onClose() default "ok";
    }

    private final String name;
    private final String onSubscribe;
    private final String onClose;
    private final AtomicInteger subscribes = new AtomicInteger();
    private final AtomicInteger closes = new AtomicInteger();
    private final CountDownLatch subscribed = new CountDownLatch(1);
    private volatile Sink sink;

    @Activate
    public TestTrigger(Config config, @Reference(name = PluginConstants.CONTEXT_REFERENCE) PluginContext context) {
        this.name = config.triggerName();
        this.onSubscribe = config.onSubscribe();
        this.onClose = config.onClose();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return "Fires when the test says so.";
    }

    @Override
    public Subscription subscribe(Sink sink) throws PluginException {
        subscribes.incrementAndGet();
        this.sink = sink;
        if (onSubscribe.equals("throw")) {
            throw new PluginException("the test trigger cannot subscribe, as configured");
        }
        subscribed.countDown();
        return () -> {
            closes.incrementAndGet();
            if (onClose.equals("throw")) {
                throw new IllegalStateException("the test trigger's close broke, as configured");
            }
        };
    }

    /** Waits (bounded) until the core has subscribed. */
    TestTrigger awaitSubscribed() throws InterruptedException {
        if (!subscribed.await(Eventually.TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError("trigger '" + name + "' was not subscribed");
        }
        return this;
    }

    /** Fires through the sink the core gave. */
    void fire(Map<String, Object> data) throws PluginException {
        sink.fire(data);
    }

    int subscribes() {
        return subscribes.get();
    }

    int closes() {
        return closes.get();
    }
}
