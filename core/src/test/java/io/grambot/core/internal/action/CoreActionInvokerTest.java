package io.grambot.core.internal.action;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.service.log.Logger;

import io.grambot.api.PluginConstants;
import io.grambot.api.PluginException;
import io.grambot.api.action.Action;
import io.grambot.api.action.ActionCall;
import io.grambot.api.action.ActionContext;
import io.grambot.api.action.ActionOutcome;
import io.grambot.api.action.ActionOutcome.Status;
import io.grambot.api.action.ActionResult;
import io.grambot.api.action.ActionRetry;
import io.grambot.api.action.AuditRecord;

/** The invoker on a fake clock and timer: exact waits, every way an attempt can end, and the audit it leaves. */
class CoreActionInvokerTest {

    private static final Map<String, Object> TEXT_SCHEMA = Map.of("type", "object", "properties",
            Map.of("text", Map.of("type", "string")), "required", List.of("text"));
    private static final Map<String, Object> HELLO = Map.of("text", "hello");
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final FakeTime time = new FakeTime();
    private final List<Throwable> uncaught = new CopyOnWriteArrayList<>();
    private final ExecutorService pool = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task);
        thread.setUncaughtExceptionHandler((t, e) -> uncaught.add(e));
        return thread;
    });
    private final List<AuditRecord> audit = new CopyOnWriteArrayList<>();
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final Deque<Double> randoms = new ArrayDeque<>();
    private final Set<String> secrets = new java.util.HashSet<>();
    private final Logger log = (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(),
            new Class<?>[] { Logger.class }, (proxy, method, args) -> {
                if (method.getName().equals("error")) {
                    errors.add(String.valueOf(args[0]));
                }
                return method.getReturnType() == boolean.class ? false : null;
            });
    private CoreActionInvoker invoker = invoker(pool);

    @AfterEach
    void stop() {
        invoker.deactivate();
        pool.shutdownNow();
    }

    private CoreActionInvoker invoker(ExecutorService attempts) {
        return new CoreActionInvoker(attempts, Map.entry(time, () -> {}), time, () -> randoms.isEmpty() ? 0
                : randoms.removeFirst(), audit::add, new Redactor(() -> secrets), log);
    }

    @Test
    void aRetryableFailureIsRetriedAfterExponentialWaitsWithJitterUntilItSucceeds() throws Exception {
        // 1 s, ×2, at most 10 s, up to 20 % off: with random 0.5 and 0.25 the waits are 900 ms and 1900 ms
        ActionRetry retry = new ActionRetry(4, Duration.ofSeconds(1), 2, Duration.ofSeconds(10), 0.2, false);
        Scripted action = new Scripted("send", retry, TIMEOUT);
        action.failures.add(new PluginException("503 busy", 503, true, null, null));
        action.failures.add(new PluginException("503 still busy", 503, true, null, null));
        randoms.addAll(List.of(0.5, 0.25));
        bind(action, "hooks", "webhooks");

        var outcome = invoker.invoke(new ActionCall("hooks", "send", HELLO, "shell")).toCompletableFuture();
        assertThat(time.awaitRequested(2)).containsExactly(TIMEOUT, Duration.ofMillis(900));
        time.advance(Duration.ofMillis(900));
        assertThat(time.awaitRequested(4)).containsExactly(TIMEOUT, Duration.ofMillis(900), TIMEOUT,
                Duration.ofMillis(1900));
        assertThat(outcome).isNotDone();
        time.advance(Duration.ofMillis(1899));
        assertThat(action.calls.get()).as("not before the wait is over").isEqualTo(2);
        time.advance(Duration.ofMillis(1));

        ActionOutcome done = outcome.get(10, TimeUnit.SECONDS);
        assertThat(done.status()).isEqualTo(Status.SUCCEEDED);
        assertThat(done.output()).isEqualTo(Map.of("echo", "hello", "attempt", 3));
        assertThat(done.text()).isEqualTo("sent");
        assertThat(done.attempts()).isEqualTo(3);
        assertThat(done.duration()).isEqualTo(Duration.ofMillis(2800));
        assertThat(audit).extracting(AuditRecord::attempt, AuditRecord::outcome).containsExactly(
                org.assertj.core.groups.Tuple.tuple(1, "retrying"), org.assertj.core.groups.Tuple.tuple(2, "retrying"),
                org.assertj.core.groups.Tuple.tuple(3, "succeeded"));
        assertThat(audit.get(0).error()).isEqualTo("503 busy; attempt 2 in 900 ms");
        assertThat(audit).allSatisfy(record -> {
            assertThat(record.invocationId()).isEqualTo(audit.get(0).invocationId());
            assertThat(record.invokedBy()).isEqualTo("shell");
            assertThat(record.pluginId()).isEqualTo("webhooks");
            assertThat(record.instanceId()).isEqualTo("hooks");
            assertThat(record.action()).isEqualTo("send");
            assertThat(record.payload()).isEqualTo(HELLO);
        });
        assertThat(action.contexts).extracting(ActionContext::attempt).containsExactly(1, 2, 3);
    }

    @Test
    void theBackoffIsCappedAtItsMaximum() {
        ActionRetry retry = new ActionRetry(10, Duration.ofMillis(100), 3, Duration.ofSeconds(1), 0.5, false);

        assertThat(Backoff.before(1, retry, java.util.Optional.empty(), 0)).isEqualTo(Duration.ofMillis(100));
        assertThat(Backoff.before(2, retry, java.util.Optional.empty(), 0)).isEqualTo(Duration.ofMillis(300));
        assertThat(Backoff.before(3, retry, java.util.Optional.empty(), 0)).isEqualTo(Duration.ofMillis(900));
        assertThat(Backoff.before(4, retry, java.util.Optional.empty(), 0)).isEqualTo(Duration.ofSeconds(1));
        assertThat(Backoff.before(4, retry, java.util.Optional.empty(), 0.999)).isEqualTo(Duration.ofNanos(500_500_000));
        assertThat(Backoff.longest(retry, Duration.ofSeconds(2))).isEqualTo(Duration.ofSeconds(20 + 36));
    }

    @Test
    void aRetryAfterReplacesTheComputedWaitWithoutJitterButNotBeyondFourTimesTheMaximum() throws Exception {
        ActionRetry retry = new ActionRetry(3, Duration.ofMillis(100), 2, Duration.ofMillis(500), 0.5, false);
        Scripted action = new Scripted("send", retry, TIMEOUT);
        action.failures.add(new PluginException("429 slow down", 429, true, Duration.ofMillis(1500), null));
        action.failures.add(new PluginException("429 much slower", 429, true, Duration.ofMinutes(5), null));
        randoms.addAll(List.of(0.9, 0.9));
        bind(action, "hooks", "webhooks");

        var outcome = invoker.invoke(new ActionCall("hooks", "send", HELLO, "shell")).toCompletableFuture();
        assertThat(time.awaitRequested(2)).endsWith(Duration.ofMillis(1500));
        time.advance(Duration.ofMillis(1500));
        assertThat(time.awaitRequested(4)).endsWith(Duration.ofMillis(2000));
        time.advance(Duration.ofMillis(2000));

        assertThat(outcome.get(10, TimeUnit.SECONDS).status()).isEqualTo(Status.SUCCEEDED);
        assertThat(outcome.get().duration()).isEqualTo(Duration.ofMillis(3500));
    }

    @Test
    void aFailureThatIsNotRetryableEndsTheInvocationAtOnce() throws Exception {
        Scripted action = new Scripted("send", ActionRetry.exponential(5), TIMEOUT);
        action.failures.add(new PluginException("400 the URL is refused", 400, false, null, null));
        bind(action, "hooks", "webhooks");

        ActionOutcome outcome = invoke("send", HELLO);

        assertThat(outcome.status()).isEqualTo(Status.FAILED);
        assertThat(outcome.attempts()).isEqualTo(1);
        assertThat(outcome.text()).isEqualTo("action 'send' of instance 'hooks' failed: 400 the URL is refused");
        assertThat(action.calls.get()).isEqualTo(1);
        assertThat(audit).singleElement().satisfies(record -> {
            assertThat(record.outcome()).isEqualTo("failed");
            assertThat(record.error()).isEqualTo("400 the URL is refused");
        });
        assertThat(time.requested()).containsExactly(TIMEOUT);
    }

    @Test
    void afterMaxAttemptsTheLastFailureIsTheOutcome() throws Exception {
        ActionRetry retry = new ActionRetry(3, Duration.ofMillis(10), 1, Duration.ofMillis(10), 0, false);
        Scripted action = new Scripted("send", retry, TIMEOUT);
        for (int i = 1; i <= 5; i++) {
            action.failures.add(new PluginException("down " + i, 503, true, null, null));
        }
        bind(action, "hooks", "webhooks");

        var outcome = invoker.invoke(new ActionCall("hooks", "send", HELLO, "shell")).toCompletableFuture();
        time.awaitRequested(2);
        time.advance(Duration.ofMillis(10));
        time.awaitRequested(4);
        time.advance(Duration.ofMillis(10));

        ActionOutcome done = outcome.get(10, TimeUnit.SECONDS);
        assertThat(done.status()).isEqualTo(Status.FAILED);
        assertThat(done.attempts()).isEqualTo(3);
        assertThat(done.text()).isEqualTo("action 'send' of instance 'hooks' failed after 3 attempts: down 3");
        assertThat(action.calls.get()).isEqualTo(3);
        assertThat(audit).extracting(AuditRecord::outcome).containsExactly("retrying", "retrying", "failed");
        assertThat(time.requested()).hasSize(5); // three timeouts, two waits: no fourth attempt
    }

    @Test
    void anAttemptThatHangsIsAbandonedAtItsTimeoutInterruptedAndToldItIsCancelled() throws Exception {
        CountDownLatch interrupted = new CountDownLatch(1);
        AtomicBoolean sawCancelled = new AtomicBoolean();
        Action hanging = action("wait", ActionRetry.NONE, Duration.ofMillis(200), (payload, context) -> {
            try {
                new CountDownLatch(1).await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                sawCancelled.set(context.cancelled());
                interrupted.countDown();
            }
            return ActionResult.of(Map.of("late", true));
        });
        bind(hanging, "slow", "webhooks");

        var outcome = invoker.invoke(new ActionCall("slow", "wait", Map.of(), "shell")).toCompletableFuture();
        assertThat(time.awaitRequested(1)).containsExactly(Duration.ofMillis(200));
        time.advance(Duration.ofMillis(199));
        assertThat(outcome).isNotDone();
        time.advance(Duration.ofMillis(1));

        ActionOutcome done = outcome.get(10, TimeUnit.SECONDS);
        assertThat(done.status()).isEqualTo(Status.TIMED_OUT);
        assertThat(done.text()).isEqualTo("action 'wait' of instance 'slow' timed out: did not finish within 200 ms");
        assertThat(interrupted.await(10, TimeUnit.SECONDS)).as("the worker was interrupted").isTrue();
        assertThat(sawCancelled).as("the context said it was cancelled").isTrue();
        assertThat(audit).singleElement().satisfies(record -> {
            assertThat(record.outcome()).isEqualTo("timed_out");
            assertThat(record.durationMillis()).isEqualTo(200);
        });
    }

    @Test
    void aTimedOutAttemptIsRetriedWhenThePolicySaysSo() throws Exception {
        ActionRetry retry = new ActionRetry(2, Duration.ofMillis(100), 2, Duration.ofSeconds(1), 0, true);
        Action flaky = action("wait", retry, Duration.ofMillis(200), (payload, context) -> {
            // by attempt, not by call count: the abandoned first attempt may reach the action after the second
            if (context.attempt() == 1) {
                try {
                    new CountDownLatch(1).await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    return ActionResult.of(Map.of("ignored", true)); // too late: the attempt was abandoned
                }
            }
            return new ActionResult(Map.of("attempt", context.attempt()), "done");
        });
        bind(flaky, "slow", "webhooks");

        var outcome = invoker.invoke(new ActionCall("slow", "wait", Map.of(), "shell")).toCompletableFuture();
        time.awaitRequested(1);
        time.advance(Duration.ofMillis(200));
        assertThat(time.awaitRequested(2)).containsExactly(Duration.ofMillis(200), Duration.ofMillis(100));
        time.advance(Duration.ofMillis(100));

        ActionOutcome done = outcome.get(10, TimeUnit.SECONDS);
        assertThat(done.status()).isEqualTo(Status.SUCCEEDED);
        assertThat(done.output()).isEqualTo(Map.of("attempt", 2));
        assertThat(audit).extracting(AuditRecord::outcome).containsExactly("retrying", "succeeded");
        assertThat(audit.get(0).error()).isEqualTo("did not finish within 200 ms; attempt 2 in 100 ms");
    }

    @Test
    void aTimedOutAttemptIsNotRetriedWhenThePolicyDoesNotRetryTimeouts() throws Exception {
        ActionRetry retry = new ActionRetry(3, Duration.ofMillis(100), 2, Duration.ofSeconds(1), 0, false);
        Action hanging = action("wait", retry, Duration.ofMillis(50), (payload, context) -> {
            new CountDownLatch(1).await(30, TimeUnit.SECONDS);
            return ActionResult.of(Map.of());
        });
        bind(hanging, "slow", "webhooks");

        var outcome = invoker.invoke(new ActionCall("slow", "wait", Map.of(), "shell")).toCompletableFuture();
        time.awaitRequested(1);
        time.advance(Duration.ofMillis(50));

        assertThat(outcome.get(10, TimeUnit.SECONDS).status()).isEqualTo(Status.TIMED_OUT);
        assertThat(outcome.get().attempts()).isEqualTo(1);
        assertThat(time.requested()).containsExactly(Duration.ofMillis(50));
    }

    @Test
    void actionsThatThrowOrReturnGarbageFailWithTheReasonAndAreNotRetried() throws Exception {
        ActionRetry retry = ActionRetry.exponential(3);
        Map<String, Object> cycle = new HashMap<>();
        cycle.put("self", cycle);
        bind(action("npe", retry, TIMEOUT, (p, c) -> {
            throw new NullPointerException("oops");
        }), "bad", "webhooks");
        bind(action("error", retry, TIMEOUT, (p, c) -> {
            throw new LinkageError("class gone");
        }), "bad", "webhooks");
        bind(action("overflow", retry, TIMEOUT, (p, c) -> {
            throw new StackOverflowError();
        }), "bad", "webhooks");
        bind(action("null", retry, TIMEOUT, (p, c) -> null), "bad", "webhooks");
        bind(action("thread", retry, TIMEOUT, (p, c) -> ActionResult.of(Map.of("worker", Thread.currentThread()))),
                "bad", "webhooks");
        bind(action("nan", retry, TIMEOUT, (p, c) -> ActionResult.of(Map.of("ratio", Double.NaN))), "bad",
                "webhooks");
        bind(action("cycle", retry, TIMEOUT, (p, c) -> ActionResult.of(Map.of("data", cycle))), "bad", "webhooks");

        assertThat(invoke("bad", "npe", Map.of()).text()).endsWith("failed: threw java.lang.NullPointerException: oops");
        assertThat(invoke("bad", "error", Map.of()).text()).endsWith("failed: threw java.lang.LinkageError: class gone");
        assertThat(invoke("bad", "overflow", Map.of()).text()).endsWith("failed: the action failed with "
                + "java.lang.StackOverflowError");
        assertThat(invoke("bad", "null", Map.of()).text()).endsWith("failed: returned no result (null)");
        assertThat(invoke("bad", "thread", Map.of()).text()).endsWith("failed: returned output that is not "
                + "JSON-like: the value at 'worker' is a java.lang.Thread, not JSON-like data");
        assertThat(invoke("bad", "nan", Map.of()).text()).endsWith("the value at 'ratio' is NaN, which JSON cannot "
                + "hold");
        assertThat(invoke("bad", "cycle", Map.of()).text()).contains("is nested more than 64 levels deep");

        assertThat(audit).hasSize(7).extracting(AuditRecord::outcome).containsOnly("failed");
        assertThat(uncaught).as("a VM error is not swallowed").singleElement().isInstanceOf(StackOverflowError.class);
        assertThat(audit).extracting(AuditRecord::attempt).containsOnly(1);
    }

    @Test
    void aPayloadThatDoesNotMatchTheSchemaIsRefusedWithEveryProblemAndNotRun() throws Exception {
        Map<String, Object> schema = Map.of("type", "object", "properties", Map.of("text", Map.of("type", "string",
                "maxLength", 5), "count", Map.of("type", "integer", "minimum", 1)), "required", List.of("text",
                        "count"), "additionalProperties", false);
        Scripted action = new Scripted("send", ActionRetry.NONE, TIMEOUT, schema);
        bind(action, "hooks", "webhooks");

        ActionOutcome outcome = invoke("send", Map.of("text", "far too long", "extra", 1));

        assertThat(outcome.status()).isEqualTo(Status.INVALID);
        assertThat(outcome.attempts()).isZero();
        assertThat(outcome.text()).isEqualTo("action 'send' of instance 'hooks' was not run: the payload does not "
                + "match its input schema");
        assertThat(outcome.problems()).containsExactlyInAnyOrder("text: must be at most 5 characters long",
                "required property 'count' not found", "property 'extra' is not defined in the schema and the "
                        + "schema does not allow additional properties");
        assertThat(action.calls.get()).isZero();
        assertThat(audit).singleElement().satisfies(record -> {
            assertThat(record.attempt()).isZero();
            assertThat(record.outcome()).isEqualTo("invalid");
            assertThat(record.error()).contains("text: must be at most 5 characters long");
        });
        assertThat(invoke("send", Map.of("text", "short", "count", 0)).problems())
                .containsExactly("count: must have a minimum value of 1");
        assertThat(invoke("send", Map.of("text", "short", "count", 2)).status()).isEqualTo(Status.SUCCEEDED);
    }

    @Test
    void anUnknownActionIsNotFoundAndSaysWhatTheInstanceOffers() throws Exception {
        bind(new Scripted("send", ActionRetry.NONE, TIMEOUT), "hooks", "webhooks");
        bind(new Scripted("fetch", ActionRetry.NONE, TIMEOUT), "hooks", "webhooks");

        ActionOutcome missing = invoke("hooks", "delete", HELLO);
        ActionOutcome nobody = invoke("nobody", "send", HELLO);

        assertThat(missing.status()).isEqualTo(Status.NOT_FOUND);
        assertThat(missing.text()).isEqualTo("action 'delete' of instance 'hooks' was not found: instance 'hooks' "
                + "offers [fetch, send]");
        assertThat(nobody.text()).endsWith("no running instance 'nobody' offers actions");
        assertThat(audit).extracting(AuditRecord::attempt, AuditRecord::outcome).containsExactly(
                org.assertj.core.groups.Tuple.tuple(0, "not_found"), org.assertj.core.groups.Tuple.tuple(0, "not_found"));
        assertThat(invoker.actions()).extracting(a -> a.instanceId() + "/" + a.name()).containsExactly("hooks/fetch",
                "hooks/send");
    }

    @Test
    void aSecondActionOfTheSameNameInAnInstanceIsRefusedAndLoggedUntilTheFirstLeaves() throws Exception {
        Scripted first = new Scripted("send", ActionRetry.NONE, TIMEOUT);
        Scripted second = new Scripted("send", ActionRetry.NONE, TIMEOUT);
        bind(first, "hooks", "webhooks");
        bind(second, "hooks", "webhooks");
        bind(new Scripted("send", ActionRetry.NONE, TIMEOUT), "other", "webhooks");

        invoke("send", HELLO);

        assertThat(first.calls.get()).isEqualTo(1);
        assertThat(second.calls.get()).isZero();
        assertThat(errors).singleElement().asString().contains("is already registered by");
        assertThat(invoker.conflicts()).singleElement().asString().startsWith("action 'hooks/send' of service");

        invoker.removeAction(first);
        invoke("send", HELLO);
        assertThat(second.calls.get()).isEqualTo(1);
        assertThat(invoker.conflicts()).isEmpty();
    }

    @Test
    void secretsAreMaskedInTheOutcomeAndTheAuditedError() throws Exception {
        secrets.add("sk-live-0123456789");
        Scripted action = new Scripted("send", ActionRetry.NONE, TIMEOUT);
        action.failures.add(new PluginException("refused key sk-live-0123456789 for https://hooks.example", 401,
                false, null, null));
        bind(action, "hooks", "webhooks");

        ActionOutcome outcome = invoke("send", HELLO);

        assertThat(outcome.text()).doesNotContain("sk-live-0123456789").contains("refused key ******** for");
        assertThat(audit.get(0).error()).isEqualTo("refused key ******** for https://hooks.example");
    }

    @Test
    void whenEveryThreadIsBusyAnInvocationFailsAtOnceSayingSo() throws Exception {
        ThreadPoolExecutor one = new ThreadPoolExecutor(1, 1, 1, TimeUnit.MINUTES, new SynchronousQueue<>());
        invoker = invoker(one);
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        bind(action("block", ActionRetry.NONE, TIMEOUT, (p, c) -> {
            entered.countDown();
            release.await(30, TimeUnit.SECONDS);
            return ActionResult.of(Map.of());
        }), "busy", "webhooks");
        var first = invoker.invoke(new ActionCall("busy", "block", Map.of(), "shell")).toCompletableFuture();
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

        ActionOutcome refused = invoke("busy", "block", Map.of());

        assertThat(refused.status()).isEqualTo(Status.FAILED);
        assertThat(refused.text()).contains("failed: could not start: all 1 threads run attempts and 0 more wait");
        release.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS).status()).isEqualTo(Status.SUCCEEDED);
        one.shutdownNow();
    }

    @Test
    void stoppingTheInvokerEndsRunningAndWaitingInvocationsAsFailed() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        bind(action("block", ActionRetry.NONE, TIMEOUT, (p, c) -> {
            entered.countDown();
            try {
                new CountDownLatch(1).await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
            return ActionResult.of(Map.of());
        }), "busy", "webhooks");
        Scripted waiting = new Scripted("send", ActionRetry.exponential(3), TIMEOUT);
        waiting.failures.add(new PluginException("busy", 503, true, null, null));
        bind(waiting, "hooks", "webhooks");
        var running = invoker.invoke(new ActionCall("busy", "block", Map.of(), "shell")).toCompletableFuture();
        var between = invoker.invoke(new ActionCall("hooks", "send", HELLO, "shell")).toCompletableFuture();
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        time.awaitRequested(3); // two timeouts and the wait before the second attempt of "send"

        invoker.deactivate();

        assertThat(running.get(10, TimeUnit.SECONDS).status()).isEqualTo(Status.FAILED);
        assertThat(running.get().text()).contains("the action invoker stopped before the attempt finished");
        assertThat(between.get(10, TimeUnit.SECONDS).status()).isEqualTo(Status.FAILED);
        assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(invoke("hooks", "send", HELLO).text()).endsWith("the action invoker is stopping");
        assertThat(waiting.calls.get()).isEqualTo(1);
    }

    // --- helpers

    private ActionOutcome invoke(String action, Map<String, Object> payload) throws Exception {
        return invoke("hooks", action, payload);
    }

    private ActionOutcome invoke(String instance, String action, Map<String, Object> payload) throws Exception {
        return invoker.invoke(new ActionCall(instance, action, payload, "shell")).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    private void bind(Action action, String instanceId, String pluginId) {
        Map<String, Object> properties = new HashMap<>();
        properties.put(PluginConstants.INSTANCE_ID, instanceId);
        properties.put(PluginConstants.PLUGIN_ID, pluginId);
        properties.put("service.id", (long) properties.hashCode());
        Bundle bundle = (Bundle) Proxy.newProxyInstance(Bundle.class.getClassLoader(), new Class<?>[] { Bundle.class },
                (proxy, method, args) -> method.getName().equals("getSymbolicName") ? "test.plugin" : null);
        @SuppressWarnings("unchecked")
        ServiceReference<Action> reference = (ServiceReference<Action>) Proxy.newProxyInstance(
                ServiceReference.class.getClassLoader(), new Class<?>[] { ServiceReference.class },
                (proxy, method, args) -> switch (method.getName()) {
                case "getProperty" -> properties.get((String) args[0]);
                case "getBundle" -> bundle;
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                default -> null;
                });
        invoker.addAction(action, reference);
    }

    interface Body {
        ActionResult run(Map<String, Object> payload, ActionContext context) throws Exception;
    }

    private static Action action(String name, ActionRetry retry, Duration timeout, Body body) {
        return new Action() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String description() {
                return name;
            }

            @Override
            public Map<String, Object> inputSchema() {
                return Map.of("type", "object");
            }

            @Override
            public ActionRetry retry() {
                return retry;
            }

            @Override
            public Duration timeout() {
                return timeout;
            }

            @Override
            public ActionResult execute(Map<String, Object> payload, ActionContext context) throws PluginException {
                try {
                    return body.run(payload, context);
                } catch (PluginException | RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        };
    }

    /** Fails with the exceptions queued, then succeeds echoing the text. */
    private static final class Scripted implements Action {
        final String name;
        final ActionRetry retry;
        final Duration timeout;
        final Map<String, Object> schema;
        final Deque<PluginException> failures = new ArrayDeque<>();
        final AtomicInteger calls = new AtomicInteger();
        final List<ActionContext> contexts = new CopyOnWriteArrayList<>();

        Scripted(String name, ActionRetry retry, Duration timeout) {
            this(name, retry, timeout, TEXT_SCHEMA);
        }

        Scripted(String name, ActionRetry retry, Duration timeout, Map<String, Object> schema) {
            this.name = name;
            this.retry = retry;
            this.timeout = timeout;
            this.schema = schema;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String description() {
            return "sends";
        }

        @Override
        public Map<String, Object> inputSchema() {
            return schema;
        }

        @Override
        public ActionRetry retry() {
            return retry;
        }

        @Override
        public Duration timeout() {
            return timeout;
        }

        @Override
        public synchronized ActionResult execute(Map<String, Object> payload, ActionContext context)
                throws PluginException {
            int call = calls.incrementAndGet();
            contexts.add(context);
            PluginException failure = failures.pollFirst();
            if (failure != null) {
                throw failure;
            }
            return new ActionResult(Map.of("echo", payload.get("text"), "attempt", call), "sent");
        }
    }
}
