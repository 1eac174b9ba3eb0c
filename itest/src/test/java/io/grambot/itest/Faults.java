package io.grambot.itest;

import java.io.IOException;
import java.util.Collections;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * A whiteboard filter in front of fakes (or of nothing) that, once told a status, answers every request with it
 * instead, in the worst shape a service can answer: its error message quotes the request's path and every
 * credential header back, so a plugin that passes the service's message on unmasked leaks its key. It notes the
 * credentials it saw, so a test can check the canary reached it. 429 answers say {@code Retry-After: 0}.
 */
final class Faults implements Filter, AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> CREDENTIAL_HEADERS = List.of("Authorization", "x-api-key", "x-goog-api-key",
            "X-Subscription-Token", "X-Webhook-Secret");

    private final ServiceRegistration<Filter> registration;
    private volatile int status;
    /** Every credential header value and path seen while failing. */
    final List<String> seen = new CopyOnWriteArrayList<>();

    Faults(BundleContext context, String... patterns) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("osgi.http.whiteboard.filter.pattern", patterns);
        this.registration = context.registerService(Filter.class, this, properties);
    }

    /** From now on every request gets {@code status} (0: passed on to the fake). */
    void failWith(int status) {
        this.status = status;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        int failing = status;
        HttpServletRequest request = (HttpServletRequest) req;
        if (failing == 0) {
            chain.doFilter(req, res);
            return;
        }
        StringBuilder quoted = new StringBuilder(request.getRequestURI());
        seen.add(request.getRequestURI());
        for (String header : CREDENTIAL_HEADERS) {
            for (String value : Collections.list(request.getHeaders(header))) {
                seen.add(value);
                quoted.append(' ').append(header).append(": ").append(value);
            }
        }
        HttpServletResponse response = (HttpServletResponse) res;
        response.setStatus(failing);
        if (failing == 429) {
            response.setHeader("Retry-After", "0");
        }
        response.setContentType("application/json");
        String message = "Incorrect API key provided for " + quoted;
        // the error shapes of OpenAI, Anthropic, Telegram, Brave and Google in one body
        JSON.writeValue(response.getOutputStream(), Map.of("type", "error", "ok", false, "error_code", failing,
                "description", message, "error", Map.of("message", message, "type", "authentication_error",
                        "code", failing, "status", "UNAUTHENTICATED", "detail", message)));
    }

    @Override
    public void close() {
        registration.unregister();
    }
}
