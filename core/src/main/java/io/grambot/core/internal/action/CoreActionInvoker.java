package io.grambot.core.internal.action;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import io.grambot.api.PluginConstants;
import io.grambot.api.action.Action;
import io.grambot.api.action.ActionCall;
import io.grambot.api.action.ActionInfo;
import io.grambot.api.action.ActionInvoker;
import io.grambot.api.action.ActionOutcome;
import io.grambot.api.action.ActionOutcome.Status;
import io.grambot.api.action.ActionRetry;
import io.grambot.api.action.AuditRecord;
import io.grambot.core.internal.ServiceIndex;

/**
 * The action invoker: follows the {@link Action} services of plugin instances (whiteboard), keyed by instance and
 * name, and runs invocations: the payload is checked against the action's input schema first (an invalid one is
 * refused with its problems, and not run), then attempts run on a bounded pool with the action's timeout and retry
 * policy, each attempt leaving an audit record. Nothing an action does can make an invocation's stage fail or hang.
 */
@Designate(ocd = CoreActionInvoker.Config.class)
@Component(configurationPid = CoreActionInvoker.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = { ActionInvoker.class, CoreActionInvoker.class })
public final class CoreActionInvoker implements ActionInvoker {

    static final String PID = "grambot.actions";
    /** Attempts that may wait for a thread; beyond that an invocation fails at once, saying the invoker is busy. */
    static final int QUEUED_ATTEMPTS = 1_000;
    /** The timeout of an action that declares none usable. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    @ObjectClassDefinition(name = "Grambot action invoker", description = "How many action attempts run at once.")
    public @interface Config {

        @AttributeDefinition(name = "Parallel attempts", min = "1", max = "1024", description = "Attempts running "
                + "at the same time; up to " + QUEUED_ATTEMPTS + " more wait for a thread, then invocations fail "
                + "as busy.")
        int maxConcurrentAttempts() default 16;
    }

    private final ExecutorService attempts;
    private final Timer timer;
    private final Runnable stopTimer;
    private final Clock clock;
    private final DoubleSupplier random;
    private final Consumer<AuditRecord> audit;
    private final Redactor redactor;
    private final Logger log;
    private final ServiceIndex<BoundAction> index;
    /** The bound entry of each action service, to find it again on unbind; guarded by itself. */
    private final Map<Action, BoundAction> bound = new IdentityHashMap<>();
    private final Set<Invocation> running = ConcurrentHashMap.newKeySet();
    private volatile boolean stopped;

    @Activate
    public CoreActionInvoker(Config config, @Reference CoreAuditLog audit, @Reference Redactor redactor,
            @Reference(service = LoggerFactory.class) Logger log) {
        this(pool(config.maxConcurrentAttempts()), scheduler(), Clock.systemUTC(),
                () -> ThreadLocalRandom.current().nextDouble(), audit::append, redactor, log);
    }

    /**
     * An invoker on given machinery (tests: a fake clock and timer, a seeded random).
     *
     * @param timer schedules timeouts and the waits between attempts; its {@code Runnable} half stops it
     */
    CoreActionInvoker(ExecutorService attempts, Map.Entry<Timer, Runnable> timer, Clock clock, DoubleSupplier random,
            Consumer<AuditRecord> audit, Redactor redactor, Logger log) {
        this.attempts = attempts;
        this.timer = timer.getKey();
        this.stopTimer = timer.getValue();
        this.clock = clock;
        this.random = random;
        this.audit = audit;
        this.redactor = redactor;
        this.log = log;
        this.index = new ServiceIndex<>("action", log);
    }

    @Modified
    void modified(Config config) {
        if (attempts instanceof ThreadPoolExecutor pool) {
            int threads = config.maxConcurrentAttempts();
            if (threads > pool.getMaximumPoolSize()) {
                pool.setMaximumPoolSize(threads);
                pool.setCorePoolSize(threads);
            } else {
                pool.setCorePoolSize(threads);
                pool.setMaximumPoolSize(threads);
            }
        }
    }

    @Deactivate
    void deactivate() {
        stopped = true;
        for (Invocation invocation : List.copyOf(running)) {
            invocation.stop();
        }
        attempts.shutdownNow();
        stopTimer.run();
    }

    // --- the whiteboard

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addAction(Action action, ServiceReference<Action> reference) {
        Object instanceId = reference.getProperty(PluginConstants.INSTANCE_ID);
        Object pluginId = reference.getProperty(PluginConstants.PLUGIN_ID);
        String name;
        try {
            name = action.name();
        } catch (RuntimeException e) {
            log.error("an action of bundle {} is ignored: its name() threw {}", bundle(reference), e.toString());
            return;
        }
        if (!(instanceId instanceof String instance) || instance.isBlank()) {
            log.error("action '{}' of bundle {} is ignored: it has no {} (actions belong to plugin instances)", name,
                    bundle(reference), PluginConstants.INSTANCE_ID);
            return;
        }
        if (name == null || !NAME.matcher(name).matches()) {
            log.error("action '{}' of instance '{}' is ignored: a name is 1 to 128 letters, digits, '_' or '-'", name,
                    instance);
            return;
        }
        BoundAction entry = new BoundAction(action, pluginId instanceof String p ? p : "", instance, name);
        synchronized (bound) {
            bound.put(action, entry);
        }
        index.add(BoundAction.key(instance, name), entry, reference);
    }

    void removeAction(Action action) {
        BoundAction entry;
        synchronized (bound) {
            entry = bound.remove(action);
        }
        if (entry != null) {
            index.remove(entry);
        }
    }

    private static String bundle(ServiceReference<?> reference) {
        return reference.getBundle() == null ? "(gone)" : reference.getBundle().getSymbolicName();
    }

    // --- ActionInvoker

    @Override
    public List<ActionInfo> actions() {
        List<ActionInfo> infos = new ArrayList<>();
        for (BoundAction entry : index.all().values()) {
            Action action = entry.action();
            infos.add(new ActionInfo(entry.pluginId(), entry.instanceId(), entry.name(),
                    guarded(action::description, ""), guarded(action::inputSchema, Map.of()),
                    guarded(action::offeredAsTool, false)));
        }
        infos.sort(Comparator.comparing(ActionInfo::instanceId).thenComparing(ActionInfo::name));
        return infos;
    }

    /** Actions refused because an instance registered the name twice, one line each. */
    public List<String> conflicts() {
        return index.conflicts();
    }

    /**
     * The longest an invocation of the action may take by its policy (every attempt timing out, every wait at its
     * longest), or empty if no running instance offers it: how long a caller that wants the outcome should wait.
     */
    public Optional<Duration> longest(String instanceId, String name) {
        BoundAction entry = index.get(BoundAction.key(instanceId, name));
        return entry == null ? Optional.empty() : Optional.of(Backoff.longest(retry(entry), timeout(entry)));
    }

    @Override
    public CompletionStage<ActionOutcome> invoke(ActionCall call) {
        CompletableFuture<ActionOutcome> outcome = new CompletableFuture<>();
        Instant started = clock.instant();
        String invocationId = UUID.randomUUID().toString();
        try {
            start(call, outcome, started, invocationId);
        } catch (VirtualMachineError e) {
            refuse(outcome, call, "", invocationId, started, Status.FAILED, "failed: " + e, List.of());
            throw e;
        } catch (Throwable e) {
            // a fault of ours or of the action's metadata: the caller still gets an outcome
            log.error("invoking action '{}' of instance '{}' failed: {}", call.action(), call.instanceId(),
                    e.toString());
            refuse(outcome, call, "", invocationId, started, Status.FAILED,
                    "could not be invoked: " + mask(e.toString()), List.of());
        }
        return outcome.minimalCompletionStage();
    }

    private void start(ActionCall call, CompletableFuture<ActionOutcome> outcome, Instant started,
            String invocationId) {
        if (stopped) {
            refuse(outcome, call, "", invocationId, started, Status.FAILED,
                    "could not be invoked: the action invoker is stopping", List.of());
            return;
        }
        BoundAction entry = index.get(BoundAction.key(call.instanceId(), call.action()));
        if (entry == null) {
            refuse(outcome, call, "", invocationId, started, Status.NOT_FOUND, notFound(call), List.of());
            return;
        }
        Map<String, Object> payload;
        List<String> problems;
        try {
            payload = JsonLike.copy(call.payload());
        } catch (IllegalArgumentException e) {
            refuse(outcome, call, entry.pluginId(), invocationId, started, Status.INVALID,
                    "was not run: the payload is not JSON-like data", List.of(e.getMessage()));
            return;
        }
        try {
            problems = entry.schema().problems(payload);
        } catch (RuntimeException e) {
            refuse(outcome, call, entry.pluginId(), invocationId, started, Status.FAILED,
                    "was not run: its input schema cannot be used: " + mask(String.valueOf(e.getMessage())),
                    List.of());
            return;
        }
        if (!problems.isEmpty()) {
            refuse(outcome, call, entry.pluginId(), invocationId, started, Status.INVALID,
                    "was not run: the payload does not match its input schema", problems);
            return;
        }
        Invocation invocation = new Invocation(this, entry, call, payload, invocationId, started, retry(entry),
                timeout(entry), outcome);
        running.add(invocation);
        if (stopped) { // deactivated while this was being set up: it stops like the others
            invocation.stop();
            return;
        }
        invocation.attempt(1);
    }

    /** An invocation that never runs: audited as attempt 0, with what was wrong. */
    private void refuse(CompletableFuture<ActionOutcome> outcome, ActionCall call, String pluginId,
            String invocationId, Instant started, Status status, String reason, List<String> problems) {
        String text = "action '" + call.action() + "' of instance '" + call.instanceId() + "' " + reason;
        long millis = Math.max(0, Duration.between(started, clock.instant()).toMillis());
        audit(new AuditRecord(clock.instant(), invocationId, call.invokedBy(), pluginId, call.instanceId(),
                call.action(), 0, status.name().toLowerCase(java.util.Locale.ROOT), millis,
                problems.isEmpty() ? reason : String.join("; ", problems), payloadForAudit(call.payload())));
        outcome.complete(new ActionOutcome(status, Map.of(), mask(text), problems.stream().map(this::mask).toList(),
                0, Duration.between(started, clock.instant())));
    }

    private static Map<String, Object> payloadForAudit(Map<String, Object> payload) {
        return payload == null ? Map.of() : payload;
    }

    private String notFound(ActionCall call) {
        List<String> offered = index.all().values().stream().filter(e -> e.instanceId().equals(call.instanceId()))
                .map(BoundAction::name).sorted().toList();
        return offered.isEmpty() ? "was not found: no running instance '" + call.instanceId() + "' offers actions"
                : "was not found: instance '" + call.instanceId() + "' offers " + offered;
    }

    private ActionRetry retry(BoundAction entry) {
        ActionRetry retry = guarded(entry.action()::retry, null);
        if (retry == null) {
            log.warn("action '{}' of instance '{}' declares no usable retry policy; it gets one attempt",
                    entry.name(), entry.instanceId());
            return ActionRetry.NONE;
        }
        return retry;
    }

    private Duration timeout(BoundAction entry) {
        Duration timeout = guarded(entry.action()::timeout, null);
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            log.warn("action '{}' of instance '{}' declares no usable timeout ({}); it gets {} s", entry.name(),
                    entry.instanceId(), timeout, DEFAULT_TIMEOUT.toSeconds());
            return DEFAULT_TIMEOUT;
        }
        return timeout;
    }

    private static <T> T guarded(Supplier<T> read, T fallback) {
        try {
            T value = read.get();
            return value == null ? fallback : value;
        } catch (RuntimeException e) {
            return fallback;
        }
    }

    // --- for invocations

    void execute(Runnable attempt) {
        attempts.execute(attempt);
    }

    Runnable schedule(Duration delay, Runnable task) {
        return timer.schedule(delay, task);
    }

    Instant now() {
        return clock.instant();
    }

    double random() {
        return random.getAsDouble();
    }

    String mask(String text) {
        return redactor.text(text);
    }

    void audit(AuditRecord record) {
        try {
            audit.accept(record);
        } catch (RuntimeException e) {
            log.error("an audit record of action '{}' could not be written: {}", record.action(), e.toString());
        }
    }

    void done(Invocation invocation) {
        running.remove(invocation);
    }

    String busyReason() {
        if (stopped) {
            return "the action invoker is stopping";
        }
        return attempts instanceof ThreadPoolExecutor pool ? "all " + pool.getMaximumPoolSize() + " threads run "
                + "attempts and " + pool.getQueue().size() + " more wait" : "the action invoker is busy";
    }

    // --- machinery

    private static ExecutorService pool(int threads) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(QUEUED_ATTEMPTS), threads("grambot-action"));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    private static Map.Entry<Timer, Runnable> scheduler() {
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, threads("grambot-action-timer"));
        scheduler.setRemoveOnCancelPolicy(true);
        Timer timer = (delay, task) -> {
            ScheduledFuture<?> scheduled = scheduler.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
            return () -> scheduled.cancel(false);
        };
        return Map.entry(timer, scheduler::shutdownNow);
    }

    private static ThreadFactory threads(String name) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
