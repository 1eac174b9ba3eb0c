package io.grambot.plugin.telegram.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;

import com.fasterxml.jackson.databind.JsonNode;

import io.grambot.api.PluginException;
import io.grambot.http.HttpException;
import io.grambot.http.RetryPolicy;
import io.grambot.http.Sleeper;

/**
 * Long polling on a thread of its own: {@code getUpdates} from the saved offset, each update handed on in order, the
 * offset saved after each batch (only past updates that were handed on, so none is skipped and, across a restart,
 * none is handed on twice).
 *
 * <p>Start ({@link #start}, on the activating thread): {@code deleteWebhook} keeping pending updates, {@code getMe},
 * and a {@code getUpdates} with {@code limit=1, timeout=0} whose updates are not used (it confirms nothing: the loop
 * asks from the same offset) to see whether another poller or a webhook holds the token. A 409 Conflict: the webhook
 * is deleted once and the check repeated; a second 409, or a token Telegram refuses (401, 404), fails the start. A
 * start that cannot reach Telegram does not fail: the loop does the same steps before it polls.
 *
 * <p>Loop: a 409 is answered the same way (delete the webhook once, then stop polling with an error in the log and in
 * {@link #stopReason}); 401 and 404 stop it too; other failures (network, 5xx, 429 after the HTTP client's own
 * retries, an answer that is not JSON) are logged and polling resumes after a backoff, or as long as Telegram's
 * {@code retry_after} says.
 */
final class Poller implements Runnable {

    /** Backoff between failed polls: 1 s doubling to 60 s, with jitter. */
    static final RetryPolicy BACKOFF = new RetryPolicy(Integer.MAX_VALUE, Duration.ofSeconds(1),
            Duration.ofSeconds(60), Duration.ofHours(1));
    private static final int LIMIT = 100;

    /** What is done with each update; a failure leaves the update to be fetched again. */
    @FunctionalInterface
    interface Handler {
        void handle(JsonNode update) throws PluginException;
    }

    /** Learns who the bot is ({@code getMe}), unless known. */
    @FunctionalInterface
    interface IdentityCheck {
        void check(boolean quickly) throws PluginException;
    }

    /** Telegram refused the token or another poller holds it: polling cannot go on. */
    static final class Fatal extends PluginException {
        private static final long serialVersionUID = 1L;

        Fatal(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final String instanceId;
    private final TelegramSettings settings;
    private final BotApi api;
    private final OffsetStore offsets;
    private final Handler handler;
    private final IdentityCheck identity;
    private final Log log;
    private final Sleeper sleeper;
    private volatile boolean stopped;
    private volatile String stopReason;
    private volatile boolean prepared;
    private OptionalLong offset;
    private volatile Thread thread;

    Poller(String instanceId, TelegramSettings settings, BotApi api, OffsetStore offsets, Handler handler,
            IdentityCheck identity, Log log, Sleeper sleeper) {
        this.instanceId = instanceId;
        this.settings = settings;
        this.api = api;
        this.offsets = offsets;
        this.handler = handler;
        this.identity = identity;
        this.log = log;
        this.sleeper = sleeper;
        this.offset = offsets.load(log);
    }

    /**
     * The start steps, on the calling thread.
     *
     * @throws PluginException if Telegram refuses the token or another poller holds it
     */
    void start() throws PluginException {
        try {
            prepare(true);
        } catch (Fatal e) {
            throw e;
        } catch (PluginException e) {
            log.warn("telegram '" + instanceId + "' cannot reach Telegram at start (" + e.getMessage() + "); polling "
                    + "keeps trying");
        }
    }

    /** Runs the loop on a new thread. */
    Thread startThread() {
        Thread t = new Thread(this, "grambot-telegram-" + instanceId);
        t.setDaemon(true);
        thread = t;
        t.start();
        return t;
    }

    private void prepare(boolean quickly) throws PluginException {
        try {
            api.deleteWebhook(quickly);
            identity.check(quickly);
            try {
                probe(quickly);
            } catch (HttpException e) {
                if (e.status() != 409) {
                    throw e;
                }
                log.warn("telegram '" + instanceId + "': " + e.getMessage() + "; deleting the webhook and trying again");
                api.deleteWebhook(quickly);
                probe(quickly);
            }
        } catch (HttpException e) {
            if (fatal(e)) {
                throw new Fatal(reason(e, quickly), e);
            }
            throw e;
        }
        prepared = true;
    }

    private void probe(boolean quickly) throws PluginException {
        api.getUpdates(offset, Duration.ZERO, 1, settings.allowedUpdates(), quickly);
    }

    private static boolean fatal(HttpException e) {
        return e.status() == 409 || e.status() == 401 || e.status() == 404;
    }

    private String reason(HttpException e, boolean atStart) {
        String description = e.providerMessage().orElse(e.getMessage());
        String what = "telegram '" + instanceId + "' " + (atStart ? "cannot start polling" : "stops polling");
        return switch (e.status()) {
            case 409 -> what + ": another program receives this bot's updates (" + description + "); only one "
                    + "poller per bot token can run";
            case 401, 404 -> what + ": Telegram refuses the bot token (" + description + "); set 'botToken' to the "
                    + "token @BotFather gave";
            default -> what + ": " + e.getMessage();
        };
    }

    @Override
    public void run() {
        int failures = 0;
        boolean conflict = false;
        while (!stopped) {
            try {
                if (!prepared) {
                    prepare(false);
                }
                List<JsonNode> updates = api.getUpdates(offset, settings.pollTimeout(), LIMIT,
                        settings.allowedUpdates(), false);
                conflict = false;
                failures = 0;
                handle(updates);
            } catch (Fatal e) {
                stop(e.getMessage());
                return;
            } catch (HttpException e) {
                if (stopped) {
                    return;
                }
                if (e.status() == 409 && !conflict) {
                    conflict = true;
                    log.warn("telegram '" + instanceId + "': " + e.getMessage() + "; deleting the webhook and polling "
                            + "again");
                    try {
                        api.deleteWebhook(false);
                    } catch (PluginException again) {
                        log.warn("telegram '" + instanceId + "' cannot delete the webhook: " + again.getMessage());
                    }
                    continue;
                }
                if (fatal(e)) {
                    stop(reason(e, false));
                    return;
                }
                if (!pause(e, ++failures)) {
                    return;
                }
            } catch (PluginException e) {
                if (stopped || !pause(e, ++failures)) {
                    return;
                }
            } catch (RuntimeException e) { // a bug must not end polling silently
                if (stopped || !pause(new PluginException(e.toString(), e), ++failures)) {
                    return;
                }
            }
        }
    }

    /** Hands the updates on in order; saves the offset past those handed on, even when one failed. */
    private void handle(List<JsonNode> updates) throws PluginException {
        OptionalLong before = offset;
        try {
            for (JsonNode update : updates) {
                if (stopped) {
                    return;
                }
                if (!update.path("update_id").canConvertToLong()) {
                    log.warn("telegram '" + instanceId + "' skips an update without 'update_id': "
                            + excerpt(update.toString()));
                    continue;
                }
                long id = update.get("update_id").asLong();
                if (offset.isPresent() && id < offset.getAsLong()) {
                    continue; // already handed on
                }
                handler.handle(update);
                offset = OptionalLong.of(id + 1);
            }
        } finally {
            if (!offset.equals(before)) {
                save();
            }
        }
    }

    private void save() {
        try {
            offsets.save(offset.getAsLong());
        } catch (IOException e) {
            log.error("telegram '" + instanceId + "' cannot save the update offset " + offset.getAsLong() + " in "
                    + offsets.file() + " (" + e + "); after a restart the last updates may be answered again");
        }
    }

    /** Logs the failure and waits; false if stopped meanwhile. */
    private boolean pause(PluginException e, int failures) {
        Duration wait = e.retryAfter().orElseGet(() -> BACKOFF.backoff(failures, Math.random()));
        if (e.retryAfter().isEmpty() && wait.compareTo(Duration.ofMillis(200)) < 0) {
            wait = Duration.ofMillis(200); // never spin
        }
        log.warn("telegram '" + instanceId + "': getting updates failed: " + e.getMessage() + "; trying again in "
                + wait.toMillis() + " ms");
        try {
            sleeper.sleep(wait);
            return !stopped;
        } catch (InterruptedException interrupted) {
            return false;
        }
    }

    private void stop(String reason) {
        stopReason = reason;
        stopped = true;
        log.error(reason);
    }

    /** Why polling stopped by itself, or null while it runs (or was stopped by {@link #close}). */
    String stopReason() {
        return stopReason;
    }

    /** The next update asked for, if known. */
    OptionalLong offset() {
        return offset;
    }

    boolean alive() {
        Thread t = thread;
        return t != null && t.isAlive();
    }

    /** Stops the loop and waits (bounded) for its thread to end. */
    void close(Duration wait) {
        stopped = true;
        Thread t = thread;
        if (t == null || t == Thread.currentThread()) {
            return;
        }
        t.interrupt();
        try {
            t.join(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (t.isAlive()) {
            log.warn("telegram '" + instanceId + "': the polling thread did not end within " + wait.toMillis() + " ms");
        }
    }

    private static String excerpt(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }
}
