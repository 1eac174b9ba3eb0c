package io.grambot.plugin.webhooks.internal;

import static io.grambot.plugin.webhooks.internal.Configs.settings;
import static io.grambot.plugin.webhooks.internal.Configs.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import io.grambot.api.PluginConstants;
import io.grambot.api.PluginException;
import io.grambot.api.Secret;
import io.grambot.api.action.Action;
import io.grambot.api.action.Trigger;

import jakarta.servlet.Servlet;

/** The component: what it registers, the trigger's subscriptions, and what goes when the instance stops. */
class WebhooksTest {

    private static final String SECRET = "s3cret-Webhook-0123456789";

    private final RecordingWhiteboard whiteboard = new RecordingWhiteboard();
    private final RecordingLog log = new RecordingLog();
    private final List<Map<String, Object>> fired = new CopyOnWriteArrayList<>();

    private Webhooks start(WebhookSettings settings) {
        return new Webhooks("hooks", "webhooks", settings, key -> key.equals(Webhooks.SECRET)
                ? Optional.of(Secret.of(SECRET)) : Optional.empty(), log, whiteboard, Clock.systemUTC());
    }

    @Test
    void theInstancePublishesItsTriggerAndActionWithItsIds() {
        Webhooks webhooks = start(settings(values()));

        Trigger trigger = whiteboard.service(Trigger.class);
        Action action = whiteboard.service(Action.class);
        assertThat(trigger.name()).isEqualTo("webhook");
        assertThat(action.name()).isEqualTo("http_request");
        assertThat(trigger).isSameAs(webhooks.trigger());
        assertThat(action).isSameAs(webhooks.action());
        for (RecordingWhiteboard.Registration registration : whiteboard.registrations) {
            assertThat(registration.properties).isEqualTo(Map.of(PluginConstants.INSTANCE_ID, "hooks",
                    PluginConstants.PLUGIN_ID, "webhooks"));
        }
        assertThat(whiteboard.live(Servlet.class)).as("nothing is served before a subscription").isEmpty();
    }

    @Test
    void subscribingServesTheWebhookAndClosingTakesItOff() throws Exception {
        Webhooks webhooks = start(settings(values("path", "/hooks/orders/")));
        Trigger trigger = whiteboard.service(Trigger.class);

        Trigger.Subscription subscription = trigger.subscribe(fired::add);

        RecordingWhiteboard.Registration servlet = whiteboard.live(Servlet.class).get(0);
        assertThat(servlet.properties).isEqualTo(Map.of("osgi.http.whiteboard.servlet.pattern", "/hooks/orders",
                "osgi.http.whiteboard.servlet.name", "grambot-webhooks-hooks", PluginConstants.INSTANCE_ID, "hooks"));
        assertThat(webhooks.trigger().subscribed()).isTrue();
        assertThat(ServletCall.post("{\"id\":1}").header("X-Webhook-Secret", SECRET)
                .to((WebhookServlet) servlet.service).status()).isEqualTo(202);
        assertThat(fired).hasSize(1);

        subscription.close();

        assertThat(servlet.unregistered).isTrue();
        assertThat(webhooks.trigger().subscribed()).isFalse();
        assertThat(ServletCall.post("{\"id\":2}").header("X-Webhook-Secret", SECRET)
                .to((WebhookServlet) servlet.service).status()).as("a request still in flight").isEqualTo(503);
        assertThat(fired).hasSize(1);
        assertThat(log.at("INFO")).containsExactly("webhook 'hooks' is served at /hooks/orders",
                "webhook 'hooks' is no longer served at /hooks/orders");
    }

    @Test
    void closingASubscriptionTwiceDoesNothingMoreAndANewOneCanFollow() throws Exception {
        start(settings(values()));
        Trigger trigger = whiteboard.service(Trigger.class);
        Trigger.Subscription first = trigger.subscribe(fired::add);
        first.close();

        Trigger.Subscription second = trigger.subscribe(fired::add);
        first.close(); // must not take the second subscription's servlet down

        assertThat(whiteboard.live(Servlet.class)).hasSize(1);
        second.close();
        assertThat(whiteboard.live(Servlet.class)).isEmpty();
        assertThat(whiteboard.registrations.stream().filter(r -> r.type == Servlet.class)).hasSize(2);
    }

    @Test
    void aSecondSubscriptionWhileOneIsOpenIsRefused() throws Exception {
        start(settings(values()));
        Trigger trigger = whiteboard.service(Trigger.class);
        trigger.subscribe(fired::add);

        PluginException e = catchThrowableOfType(PluginException.class, () -> trigger.subscribe(fired::add));

        assertThat(e).hasMessage("trigger 'webhook' of instance 'hooks' is subscribed already; close that "
                + "subscription first");
        assertThat(whiteboard.live(Servlet.class)).hasSize(1);
    }

    @Test
    void aServletTheServerCannotTakeFailsTheSubscription() {
        start(settings(values()));
        Trigger trigger = whiteboard.service(Trigger.class);
        whiteboard.failure = new IllegalStateException("Invalid BundleContext.");

        PluginException e = catchThrowableOfType(PluginException.class, () -> trigger.subscribe(fired::add));

        assertThat(e).hasMessage("instance 'hooks' cannot serve its webhook at /hooks/hooks: Invalid BundleContext.");
        assertThat(((WebhookTrigger) trigger).subscribed()).isFalse();
    }

    @Test
    void stoppingTheInstanceWithdrawsEverythingEvenAnOpenSubscription() throws Exception {
        Webhooks webhooks = start(settings(values()));
        whiteboard.service(Trigger.class).subscribe(fired::add);

        webhooks.deactivate();

        assertThat(whiteboard.registrations).allSatisfy(r -> assertThat(r.unregistered).isTrue());
        assertThat(whiteboard.registrations).extracting(r -> (Object) r.type).containsExactly(Trigger.class, Action.class,
                Servlet.class);
    }

    @Test
    void theTriggerSaysWhereItIsServedAndHowCallersSign() {
        start(settings(values("signature", "hmac-sha256", "path", "/gh")));

        assertThat(whiteboard.service(Trigger.class).description()).isEqualTo("Fires when a caller POSTs JSON to /gh "
                + "on Grambot's HTTP server with the instance's secret (as an HMAC-SHA256 signature in "
                + "X-Hub-Signature-256); the data is {body, headers, query, receivedAt}.");
    }
}
