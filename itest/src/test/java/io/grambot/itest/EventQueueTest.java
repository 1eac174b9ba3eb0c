package io.grambot.itest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import io.grambot.api.PluginConstants;
import io.grambot.api.PluginContext;
import io.grambot.api.PluginEvent;
import io.grambot.api.PluginEventHandler;
import io.grambot.api.PluginException;
import io.grambot.api.runtime.EventFailure;
import io.grambot.api.runtime.EventQueueMonitor;

/** Events emitted through an instance's context reach the handler services, in order, past broken handlers. */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(EchoPlugin.class)
@ExtendWith(ServiceExtension.class)
class EventQueueTest {


    @InjectBundleContext
    BundleContext context;

    @InjectService
    ConfigurationAdmin configAdmin;

    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
    private final List<Configuration> configurations = new ArrayList<>();
    private final CountDownLatch releaseSlow = new CountDownLatch(1);

    @AfterEach
    void cleanUp() throws Exception {
        releaseSlow.countDown();
        registrations.forEach(ServiceRegistration::unregister);
        for (Configuration configuration : configurations) {
            configuration.delete();
        }
    }

    private PluginContext instance(String instanceId) throws Exception {
        Configuration configuration = configAdmin.getFactoryConfiguration("echo", instanceId, "?");
        configuration.update(new Hashtable<>(Map.of("toolName", instanceId)));
        configurations.add(configuration);
        return Eventually.service(context, PluginContext.class, "(" + PluginConstants.INSTANCE_ID + "=" + instanceId + ")");
    }

    private void register(PluginEventHandler handler, String type) {
        Dictionary<String, Object> properties = new Hashtable<>(Map.of(PluginConstants.EVENT_TYPE, type));
        registrations.add(context.registerService(PluginEventHandler.class, handler, properties));
    }

    /**
     * Records what it is given. Only this test's events count: an earlier run's events left in the journal of the
     * shared data directory would be delivered too.
     */
    static final class Recorder implements PluginEventHandler {
        private final List<PluginEvent> events = new CopyOnWriteArrayList<>();
        private final Set<String> emitted = ConcurrentHashMap.newKeySet();

        @Override
        public void handle(PluginEvent event) {
            events.add(event);
        }

        PluginEvent emit(PluginContext instance, String type, int n) throws PluginException {
            PluginEvent event = instance.emit(type, Map.of("n", n));
            emitted.add(event.id());
            return event;
        }

        boolean emitted(PluginEvent event) {
            return emitted.contains(event.id());
        }

        List<PluginEvent> events() {
            return events.stream().filter(e -> emitted.contains(e.id())).toList();
        }

        List<Object> numbers(String instanceId) {
            return events().stream().filter(e -> e.instanceId().equals(instanceId)).map(e -> e.payload().get("n"))
                    .toList();
        }
    }

    @Test
    void eventsOfAnInstanceArriveInEmissionOrderWithTheirStamp() throws Exception {
        PluginContext ordered = instance("evorder");
        Recorder recorder = new Recorder();
        register(recorder, "itest.order");
        List<PluginEvent> emitted = new ArrayList<>();

        for (int n = 0; n < 200; n++) {
            emitted.add(recorder.emit(ordered, "itest.order", n));
        }

        Eventually.until("200 events are handled", () -> recorder.events().size() == 200);
        assertThat(recorder.events()).containsExactlyElementsOf(emitted);
        assertThat(emitted.get(0).pluginId()).isEqualTo("echo");
        assertThat(emitted.get(0).instanceId()).isEqualTo("evorder");
    }

    @Test
    void aThrowingAndASlowHandlerHoldUpNeitherOtherHandlersNorOtherEvents() throws Exception {
        PluginContext slowInstance = instance("evslow");
        PluginContext fastInstance = instance("evfast");
        Object contextId = context.getServiceReferences(PluginContext.class, "(grambot.instance.id=evslow)")
                .iterator().next().getProperty("service.id");
        // a short handler timeout, still long enough for the other instance's events to pass while the slow
        // handler holds its own
        Configuration queue = configAdmin.getConfiguration("grambot.events", "?");
        queue.update(new Hashtable<>(Map.of("handlerTimeoutMillis", 1500L)));
        configurations.add(queue);
        EventQueueMonitor monitor = Eventually.service(context, EventQueueMonitor.class, "(handlerTimeoutMillis=1500)");
        assertThat(context.getServiceReferences(PluginContext.class, "(grambot.instance.id=evslow)"))
                .as("the instance's context, still the same after the queue's configuration changed").singleElement()
                .satisfies(ref -> assertThat(ref.getProperty("service.id")).isEqualTo(contextId));
        register(event -> {
            throw new IllegalStateException("handler failure for " + event.payload().get("n"));
        }, "itest.work");
        CountDownLatch slowCalled = new CountDownLatch(1);
        register(event -> {
            if (event.instanceId().equals("evslow") && event.payload().get("n").equals(0)) {
                slowCalled.countDown();
                releaseSlow.await(); // stuck until the test ends (the interrupt of the timeout ends it earlier)
            }
        }, "itest.work");
        Recorder recorder = new Recorder();
        register(recorder, "itest.work");

        PluginEvent stuck = recorder.emit(slowInstance, "itest.work", 0);
        assertThat(slowCalled.await(Eventually.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        for (int n = 1; n < 5; n++) {
            recorder.emit(slowInstance, "itest.work", n);
        }
        for (int n = 0; n < 5; n++) {
            recorder.emit(fastInstance, "itest.work", n);
        }

        Eventually.until("the other instance's events pass the throwing handler",
                () -> recorder.numbers("evfast").size() == 5);
        assertThat(recorder.numbers("evslow")).as("the slow instance's events while its handler is stuck").isEmpty();
        Eventually.until("the slow instance's events go on after the timeout",
                () -> recorder.numbers("evslow").size() == 5);
        assertThat(recorder.numbers("evslow")).containsExactly(0, 1, 2, 3, 4);
        assertThat(recorder.numbers("evfast")).containsExactly(0, 1, 2, 3, 4);
        List<EventFailure> failures = monitor.failures().stream().filter(f -> recorder.emitted(f.event())).toList();
        assertThat(failures).filteredOn(EventFailure::timedOut).singleElement().satisfies(f -> {
            assertThat(f.event().id()).isEqualTo(stuck.id());
            assertThat(f.message()).isEqualTo("did not return within 1500 ms");
        });
        assertThat(failures).filteredOn(f -> !f.timedOut()).hasSize(10)
                .allSatisfy(f -> assertThat(f.message()).startsWith("java.lang.IllegalStateException: handler failure"));
        assertThat(monitor.status().timedOut()).isGreaterThanOrEqualTo(1);
        assertThat(monitor.status().failed()).isGreaterThanOrEqualTo(10);
        assertThat(monitor.status().journaled()).isTrue();
    }
}
