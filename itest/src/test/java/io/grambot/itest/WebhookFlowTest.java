package io.grambot.itest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.grambot.api.action.Action;
import io.grambot.api.action.AuditLog;
import io.grambot.api.action.AuditRecord;
import io.grambot.api.action.Trigger;
import io.grambot.api.connector.Connector;
import io.grambot.api.connector.OutgoingMessage;
import io.grambot.api.flow.FlowEngine;
import io.grambot.api.flow.FlowRun;
import io.grambot.api.flow.FlowStep;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The Zapier-style building block end to end, with the built-in webhooks plugin and the core's flow engine: an HTTP
 * POST proving the secret fires the webhook trigger; the flow checks the amount, calls {@code http_request} (through
 * the action invoker: audited, retried) against a local order service, and tells a chat what it answered.
 */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
class WebhookFlowTest {

    private static final String SECRET = "wf-shared-secret-7c1e9a";
    private static final ObjectMapper JSON = new ObjectMapper();

    @InjectBundleContext
    BundleContext context;

    @InjectService
    ConfigurationAdmin configAdmin;

    private final List<Configuration> configurations = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private OrderService orders;
    private URI base;

    @BeforeEach
    void setUp() throws Exception {
        base = WebChatClient.endpoint(context);
        orders = new OrderService(context, "/fake-orders");
        configurations.add(Instances.create(configAdmin, "webhooks", "hooks-wf", Map.of("path", "/hooks/wf",
                "secret", SECRET, "allowedHosts", base.getHost())));
        configurations.add(Instances.create(configAdmin, "testchat", "chat-wf", Map.of()));
        Eventually.service(context, Action.class, Instances.filter("hooks-wf"));
        Eventually.service(context, Trigger.class, Instances.filter("hooks-wf"));
        Eventually.service(context, Connector.class, Instances.filter("chat-wf"));
        String definition = """
                {"nodes":[
                  {"id":"start","kind":"trigger","config":{"instance":"hooks-wf","trigger":"webhook"}},
                  {"id":"big","kind":"condition","config":{"left":"{{start.data.body.amount}}","op":"gt","right":100}},
                  {"id":"call","kind":"plugin_action","config":{"instance":"hooks-wf","actionName":"http_request",
                    "payload":{"url":"%s","method":"POST","body":{"order":"{{start.data.body.id}}",
                      "amount":"{{start.data.body.amount}}"}}}},
                  {"id":"notify","kind":"send_message","config":{"connector":"chat-wf",
                    "conversationId":"{{start.data.body.chat}}",
                    "text":"Order {{start.data.body.id}}: {{call.output.body.status}}"}}],
                 "edges":[{"from":"start","to":"big"},{"from":"big","to":"call","when":true},
                   {"from":"call","to":"notify"}]}
                """.formatted(base.resolve("/fake-orders/orders"));
        configurations.add(Instances.create(configAdmin, FlowEngine.FACTORY_PID, "orders-wf",
                Map.of(FlowEngine.DEFINITION, definition)));
        FlowEngine engine = Eventually.service(context, FlowEngine.class, null);
        Eventually.until("the flow is loaded", () -> engine.flows().stream()
                .anyMatch(f -> f.flowId().equals("orders-wf") && f.valid()));
        // the webhook is served once the engine has subscribed to the trigger
        Eventually.until("the webhook answers", () -> post("{}", "wrong").statusCode() == 401);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (Configuration configuration : configurations) {
            configuration.delete();
        }
        Eventually.gone(context, Trigger.class, Instances.filter("hooks-wf"));
        Eventually.gone(context, Connector.class, Instances.filter("chat-wf"));
        orders.close();
    }

    private HttpResponse<String> post(String body, String secret) {
        try {
            return http.send(HttpRequest.newBuilder(base.resolve("/hooks/wf")).header("Content-Type",
                    "application/json").header("X-Webhook-Secret", secret)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aWebhookPostRunsTheFlowWhichCallsTheOrderServiceAndTellsTheChat() throws Exception {
        FlowEngine engine = Eventually.service(context, FlowEngine.class, null);
        TestChatConnector chat = (TestChatConnector) Eventually.service(context, Connector.class,
                Instances.filter("chat-wf"));

        HttpResponse<String> refused = post("{\"id\":\"B-1\",\"amount\":500,\"chat\":\"room-wf\"}", "not-the-secret");
        HttpResponse<String> accepted = post("{\"id\":\"B-2\",\"amount\":500,\"chat\":\"room-wf\"}", SECRET);

        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(accepted.statusCode()).isEqualTo(202);
        assertThat(JSON.readTree(accepted.body()).path("accepted").asBoolean()).isTrue();
        assertThat(chat.awaitSent("room-wf", 1)).isPositive();
        assertThat(chat.sent()).extracting(OutgoingMessage::text).containsExactly("Order B-2: confirmed");
        assertThat(orders.received).singleElement().satisfies(order -> {
            assertThat(order.path("order").asText()).isEqualTo("B-2");
            assertThat(order.path("amount").asInt()).as("a lone placeholder keeps the number").isEqualTo(500);
        });
        Eventually.until("the run is recorded", () -> engine.runs("orders-wf", 10).stream()
                .anyMatch(r -> r.status() == FlowRun.Status.SUCCEEDED));
        FlowRun run = engine.runs("orders-wf", 10).get(0);
        assertThat(run.steps()).extracting(FlowStep::nodeId).containsExactly("start", "big", "call", "notify");
        assertThat(run.toString()).as("the secret is not in the run record").doesNotContain(SECRET);

        List<AuditRecord> audit = Eventually.service(context, AuditLog.class, null).query("hooks-wf",
                "http_request", null, 10);
        assertThat(audit).singleElement().satisfies(record -> {
            assertThat(record.invokedBy()).isEqualTo("flow:orders-wf/" + run.runId());
            assertThat(record.outcome()).isEqualTo("succeeded");
            assertThat(record.toString()).doesNotContain(SECRET);
        });
    }

    /** A local order service answering {@code {"status":"confirmed"}} to every posted order. */
    static final class OrderService extends HttpServlet implements AutoCloseable {
        private static final long serialVersionUID = 1L;
        final transient List<JsonNode> received = new CopyOnWriteArrayList<>();
        private final transient ServiceRegistration<Servlet> registration;

        OrderService(BundleContext context, String path) {
            Hashtable<String, Object> properties = new Hashtable<>();
            properties.put("osgi.http.whiteboard.servlet.pattern", path + "/*");
            registration = context.registerService(Servlet.class, this, properties);
        }

        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
            received.add(JSON.readTree(request.getInputStream()));
            response.setContentType("application/json");
            response.getWriter().write("{\"status\":\"confirmed\"}");
        }

        @Override
        public void close() {
            registration.unregister();
        }
    }
}
