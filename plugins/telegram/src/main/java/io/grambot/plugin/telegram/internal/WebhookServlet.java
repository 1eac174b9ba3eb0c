package io.grambot.plugin.telegram.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Hashtable;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

import io.grambot.api.PluginConstants;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** The webhook on Grambot's HTTP server (HTTP whiteboard): {@code POST <webhookPath>} with an update. */
final class WebhookServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient Webhook webhook;

    WebhookServlet(Webhook webhook) {
        this.webhook = webhook;
    }

    /** Registers a servlet for the webhook at {@code path}; closing unregisters it. */
    static AutoCloseable register(BundleContext context, String path, Webhook webhook, String instanceId) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("osgi.http.whiteboard.servlet.pattern", path);
        properties.put("osgi.http.whiteboard.servlet.name", "grambot-telegram-" + instanceId);
        properties.put(PluginConstants.INSTANCE_ID, instanceId);
        ServiceRegistration<Servlet> registration = context.registerService(Servlet.class,
                new WebhookServlet(webhook), properties);
        return () -> {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle is stopping and the framework unregistered it
            }
        };
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes(Webhook.MAX_BODY_BYTES + 1);
        }
        Webhook.Answer answer = body.length > Webhook.MAX_BODY_BYTES ? new Webhook.Answer(413, "too large")
                : webhook.receive(request.getHeader(Webhook.SECRET_HEADER), body);
        response.setStatus(answer.status());
        response.setContentType("text/plain; charset=utf-8");
        response.getOutputStream().write(answer.text().getBytes(StandardCharsets.UTF_8));
    }
}
