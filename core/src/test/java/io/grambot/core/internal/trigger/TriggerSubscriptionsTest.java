package io.grambot.core.internal.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.grambot.api.PluginConstants;
import io.grambot.api.PluginException;
import io.grambot.api.action.Trigger;
import io.grambot.core.internal.flow.RecordingLog;

class TriggerSubscriptionsTest {

    private final RecordingLog log = new RecordingLog();
    private final List<String> emitted = new CopyOnWriteArrayList<>();
    private final TriggerSubscriptions subscriptions = new TriggerSubscriptions(
            (plugin, instance, type, payload) -> emitted.add(plugin + "/" + instance + " " + type + " " + payload),
            Duration.ofMillis(300), Duration.ofMillis(300), log.logger);
    private long nextServiceId = 1;

    @AfterEach
    void stop() {
        subscriptions.deactivate();
    }

    /** A trigger that counts subscribes and closes, and does what its behaviours say. */
    static class Probe implements Trigger {
        final String name;
        final AtomicInteger subscribes = new AtomicInteger();
        final AtomicInteger closes = new AtomicInteger();
        final CountDownLatch subscribed = new CountDownLatch(1);
        volatile Sink sink;
        volatile String onSubscribe = "ok"; // ok, throw, hang, late (ignores interrupts, returns after release)
        volatile String onClose = "ok"; // ok, throw, hang
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch interrupted = new CountDownLatch(1);

        Probe(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String description() {
            return "a probe";
        }

        @Override
        public Subscription subscribe(Sink sink) throws PluginException {
            subscribes.incrementAndGet();
            this.sink = sink;
            switch (onSubscribe) {
                case "throw" -> throw new PluginException("the webhook port is taken");
                case "hang" -> {
                    try {
                        new CountDownLatch(1).await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        interrupted.countDown();
                    }
                }
                case "late" -> {
                    while (true) {
                        try {
                            release.await();
                            break;
                        } catch (InterruptedException e) {
                            interrupted.countDown(); // and go on waiting, as a badly behaved plugin would
                        }
                    }
                }
                default -> { }
            }
            subscribed.countDown();
            return () -> {
                closes.incrementAndGet();
                switch (onClose) {
                    case "throw" -> throw new IllegalStateException("the server socket is already closed");
                    case "hang" -> new CountDownLatch(1).await(30, TimeUnit.SECONDS);
                    default -> { }
                }
            };
        }
    }

    private Map<String, Object> properties(String instance) {
        return Map.of(PluginConstants.INSTANCE_ID, instance, PluginConstants.PLUGIN_ID, "hooks", "service.id",
                nextServiceId++);
    }

    private static void until(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("timed out waiting until " + what).isLessThan(deadline);
            Thread.sleep(5); // polling interval of a bounded wait
        }
    }

    private TriggerState state() {
        return subscriptions.states().get(0);
    }

    @Test
    void aBoundTriggerIsSubscribedAndItsEventsBecomeTriggerEventsOfItsInstance() throws Exception {
        Probe probe = new Probe("webhook");
        subscriptions.addTrigger(probe, properties("hooks1"));
        assertThat(probe.subscribed.await(10, TimeUnit.SECONDS)).isTrue();
        until("subscribed", () -> state().state().equals("SUBSCRIBED"));

        probe.sink.fire(Map.of("amount", 150));
        probe.sink.fire(null);

        assertThat(emitted).containsExactly("hooks/hooks1 trigger.fired {trigger=webhook, data={amount=150}}",
                "hooks/hooks1 trigger.fired {trigger=webhook, data={}}");
        assertThat(subscriptions.states()).containsExactly(
                new TriggerState("hooks1", "hooks", "webhook", "SUBSCRIBED", "", 2));
    }

    @Test
    void unbindingClosesTheSubscriptionOnceAndLaterEventsAreRefused() throws Exception {
        Probe probe = new Probe("webhook");
        Map<String, Object> properties = properties("hooks1");
        subscriptions.addTrigger(probe, properties);
        until("subscribed", () -> state().state().equals("SUBSCRIBED"));

        subscriptions.removeTrigger(probe, properties);
        subscriptions.removeTrigger(probe, properties);
        subscriptions.deactivate();

        assertThat(probe.closes).hasValue(1);
        assertThat(subscriptions.states()).isEmpty();
        assertThatThrownBy(() -> probe.sink.fire(Map.of("late", true))).isInstanceOf(PluginException.class)
                .hasMessage("trigger 'webhook' of instance 'hooks1' is not subscribed (its subscription was closed);"
                        + " events it fires now are refused");
        assertThat(emitted).isEmpty();
    }

    @Test
    void aCloseThatThrowsIsCaughtLoggedAndNotRepeated() throws Exception {
        Probe probe = new Probe("webhook");
        probe.onClose = "throw";
        Map<String, Object> properties = properties("hooks1");
        subscriptions.addTrigger(probe, properties);
        until("subscribed", () -> state().state().equals("SUBSCRIBED"));

        subscriptions.removeTrigger(probe, properties);
        subscriptions.deactivate();

        assertThat(probe.closes).hasValue(1);
        assertThat(log.lines).containsExactly("ERROR trigger 'webhook' of instance 'hooks1': closing its subscription"
                + " (it was unsubscribed) threw IllegalStateException: the server socket is already closed");
        assertThat(subscriptions.problems()).singleElement().asString().endsWith(log.lines.get(0).substring(6));
    }

    @Test
    void aCloseThatHangsIsAbandonedAfterItsBound() throws Exception {
        Probe probe = new Probe("webhook");
        probe.onClose = "hang";
        Map<String, Object> properties = properties("hooks1");
        subscriptions.addTrigger(probe, properties);
        until("subscribed", () -> state().state().equals("SUBSCRIBED"));

        long began = System.nanoTime();
        subscriptions.removeTrigger(probe, properties);

        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began)).isBetween(250L, 5_000L);
        assertThat(probe.closes).hasValue(1);
        assertThat(log.lines).containsExactly("ERROR trigger 'webhook' of instance 'hooks1': closing its subscription"
                + " did not return within 300 ms and was abandoned");
    }

    @Test
    void aSubscribeThatThrowsIsRecordedAndItsSinkRefusesEvents() throws Exception {
        Probe probe = new Probe("webhook");
        probe.onSubscribe = "throw";
        Map<String, Object> properties = properties("hooks1");
        subscriptions.addTrigger(probe, properties);

        until("failed", () -> state().state().equals("FAILED"));
        assertThat(state().reason()).isEqualTo("subscribe threw PluginException: the webhook port is taken");
        assertThat(log.lines).containsExactly("ERROR trigger 'webhook' of instance 'hooks1' could not subscribe:"
                + " subscribe threw PluginException: the webhook port is taken");
        assertThatThrownBy(() -> probe.sink.fire(Map.of())).hasMessage("trigger 'webhook' of instance 'hooks1' is"
                + " not subscribed (it failed to subscribe: subscribe threw PluginException: the webhook port is"
                + " taken); events it fires now are refused");
        subscriptions.removeTrigger(probe, properties);
        assertThat(probe.closes).hasValue(0); // there was no subscription to close
    }

    @Test
    void aSubscribeThatHangsIsAbandonedAndInterrupted() throws Exception {
        Probe probe = new Probe("poller");
        probe.onSubscribe = "hang";
        subscriptions.addTrigger(probe, properties("poll1"));

        until("abandoned", () -> state().state().equals("FAILED"));
        assertThat(state().reason()).isEqualTo("subscribe did not return within 300 ms and was abandoned");
        assertThat(probe.interrupted.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(log.lines).contains("ERROR trigger 'poller' of instance 'poll1' could not subscribe: subscribe"
                + " did not return within 300 ms and was abandoned (a subscription it returns later is closed at"
                + " once)");
    }

    @Test
    void aSubscriptionReturnedAfterItWasAbandonedIsClosedAtOnce() throws Exception {
        Probe probe = new Probe("poller");
        probe.onSubscribe = "late";
        Map<String, Object> properties = properties("poll1");
        subscriptions.addTrigger(probe, properties);
        until("abandoned", () -> state().state().equals("FAILED"));

        probe.release.countDown();

        until("the late subscription is closed", () -> probe.closes.get() == 1);
        subscriptions.removeTrigger(probe, properties);
        subscriptions.deactivate();
        assertThat(probe.closes).hasValue(1);
    }

    @Test
    void unbindingWhileSubscribingClosesWhatSubscribeReturnsBeforeUnbindReturns() throws Exception {
        Probe probe = new Probe("webhook");
        probe.onSubscribe = "late";
        Map<String, Object> properties = properties("hooks1");
        subscriptions.addTrigger(probe, properties);
        until("subscribing", () -> probe.subscribes.get() == 1);

        CompletableFuture<Void> unbound = new CompletableFuture<>();
        Thread unbinding = new Thread(() -> {
            subscriptions.removeTrigger(probe, properties);
            unbound.complete(null);
        });
        unbinding.start();
        until("unbind waits for the subscribe", () -> unbinding.getState() == Thread.State.TIMED_WAITING);
        assertThat(unbound).isNotDone();
        probe.release.countDown();
        unbound.get(10, TimeUnit.SECONDS);

        assertThat(probe.closes).as("closed before unbind returned").hasValue(1);
        subscriptions.deactivate();
        assertThat(probe.closes).hasValue(1);
    }

    @Test
    void theCoreStoppingClosesEverySubscriptionOnce() throws Exception {
        Probe a = new Probe("a");
        Probe b = new Probe("b");
        b.onClose = "throw";
        Map<String, Object> pa = properties("i1");
        Map<String, Object> pb = properties("i2");
        subscriptions.addTrigger(a, pa);
        subscriptions.addTrigger(b, pb);
        until("both subscribed", () -> subscriptions.states().stream().allMatch(s -> s.state().equals("SUBSCRIBED"))
                && subscriptions.states().size() == 2);

        subscriptions.deactivate();
        // DS calls the unbind methods after deactivate
        subscriptions.removeTrigger(a, pa);
        subscriptions.removeTrigger(b, pb);

        assertThat(a.closes).hasValue(1);
        assertThat(b.closes).hasValue(1);
        assertThatThrownBy(() -> a.sink.fire(Map.of())).isInstanceOf(PluginException.class);
    }

    @Test
    void aTriggerOutsideThePluginModelIsNotSubscribed() throws Exception {
        Probe probe = new Probe("stray");
        subscriptions.addTrigger(probe, Map.of("service.id", 99L, "service.bundleid", 12L));

        assertThat(subscriptions.states()).isEmpty();
        assertThat(probe.subscribes).hasValue(0);
        assertThat(log.lines).containsExactly("ERROR a trigger service of bundle 12 (service 99) is not subscribed:"
                + " it has no grambot.instance.id and grambot.plugin.id; only plugin instances' triggers fire flows");
    }
}
