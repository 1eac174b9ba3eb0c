package io.grambot.plugin.webhooks.internal;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import io.grambot.api.PluginConstants;
import io.grambot.api.PluginException;
import io.grambot.api.Secret;
import io.grambot.api.action.Trigger;

import jakarta.servlet.Servlet;

/**
 * The {@code webhook} trigger: while it is subscribed, {@code POST <path>} on Grambot's HTTP server fires it (see
 * {@link WebhookServlet}). The servlet is registered on the HTTP whiteboard when the core subscribes and unregistered
 * when the subscription closes, so nothing is served while nobody listens. One subscription at a time.
 */
final class WebhookTrigger implements Trigger {

    static final String NAME = "webhook";

    private final String instanceId;
    private final WebhookSettings settings;
    private final Supplier<Optional<Secret>> secret;
    private final Whiteboard whiteboard;
    private final Log log;
    private final Clock clock;
    private Open open; // guarded by this

    /** A subscription that is open: its servlet and the servlet's registration. */
    private record Open(WebhookServlet servlet, AutoCloseable registration) {}

    WebhookTrigger(String instanceId, WebhookSettings settings, Supplier<Optional<Secret>> secret,
            Whiteboard whiteboard, Log log, Clock clock) {
        this.instanceId = instanceId;
        this.settings = settings;
        this.secret = secret;
        this.whiteboard = whiteboard;
        this.log = log;
        this.clock = clock;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Fires when a caller POSTs JSON to " + settings.path() + " on Grambot's HTTP server with the "
                + "instance's secret (" + (settings.signature() == WebhookSettings.Signature.HEADER
                        ? "in " + WebhookServlet.SECRET_HEADER
                        : "as an HMAC-SHA256 signature in " + WebhookServlet.SIGNATURE_HEADER)
                + "); the data is {body, headers, query, receivedAt}.";
    }

    /**
     * Registers the webhook's servlet at the instance's path.
     *
     * @throws PluginException if the trigger is subscribed already (close that subscription first), or the servlet
     *         cannot be registered
     */
    @Override
    public synchronized Subscription subscribe(Sink sink) throws PluginException {
        if (sink == null) {
            throw new PluginException("trigger '" + NAME + "' of instance '" + instanceId + "' needs a sink");
        }
        if (open != null) {
            throw new PluginException("trigger '" + NAME + "' of instance '" + instanceId + "' is subscribed "
                    + "already; close that subscription first");
        }
        WebhookServlet servlet = new WebhookServlet(instanceId, settings, secret, sink, log, clock);
        AutoCloseable registration;
        try {
            registration = whiteboard.register(Servlet.class, servlet, servletProperties());
        } catch (RuntimeException e) {
            throw new PluginException("instance '" + instanceId + "' cannot serve its webhook at "
                    + settings.path() + ": " + e.getMessage(), e);
        }
        Open subscription = new Open(servlet, registration);
        open = subscription;
        log.info("webhook '" + instanceId + "' is served at " + settings.path());
        return () -> close(subscription);
    }

    /** Whether a subscription is open, that is whether the webhook is served. */
    synchronized boolean subscribed() {
        return open != null;
    }

    /** Closes the open subscription, if any (the instance stops). */
    void close() {
        Open current;
        synchronized (this) {
            current = open;
        }
        if (current != null) {
            close(current);
        }
    }

    /** Stops firing, then takes the servlet off the server; a subscription closed before is left alone. */
    private void close(Open subscription) {
        synchronized (this) {
            if (open != subscription) {
                return;
            }
            open = null;
        }
        subscription.servlet().close();
        try {
            subscription.registration().close();
        } catch (Exception e) {
            log.warn("webhook '" + instanceId + "' could not take its servlet off " + settings.path() + ": " + e);
        }
        log.info("webhook '" + instanceId + "' is no longer served at " + settings.path());
    }

    private Map<String, Object> servletProperties() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("osgi.http.whiteboard.servlet.pattern", settings.path());
        properties.put("osgi.http.whiteboard.servlet.name", "grambot-webhooks-" + instanceId);
        properties.put(PluginConstants.INSTANCE_ID, instanceId);
        return properties;
    }
}
