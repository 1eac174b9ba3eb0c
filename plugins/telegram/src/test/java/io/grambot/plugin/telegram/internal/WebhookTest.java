package io.grambot.plugin.telegram.internal;

import static io.grambot.plugin.telegram.internal.FakeTelegram.JSON;
import static io.grambot.plugin.telegram.internal.FakeTelegram.privateText;
import static io.grambot.plugin.telegram.internal.Harness.WEBHOOK_SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.grambot.api.ConnectionTestResult;
import io.grambot.api.PluginException;
import io.grambot.plugin.telegram.internal.TelegramSettings.GroupMode;
import io.grambot.plugin.telegram.internal.TelegramSettings.Mode;
import io.grambot.plugin.telegram.internal.TelegramSettings.ParseMode;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

class WebhookTest {

    private final Harness h;

    WebhookTest() throws Exception {
        h = new Harness();
    }

    @AfterEach
    void close() throws Exception {
        h.close();
    }

    private TelegramConnector start() throws PluginException {
        return h.start(h.settings(Mode.WEBHOOK, GroupMode.MENTION, ParseMode.NONE, false));
    }

    private static byte[] update(long id, String text) throws Exception {
        ObjectNode update = JSON.createObjectNode().put("update_id", id);
        update.set("message", privateText(77, (int) id, text));
        return JSON.writeValueAsBytes(update);
    }

    @Test
    void theWebhookIsSetWithItsSecretAndServedAtItsPath() throws Exception {
        TelegramConnector connector = start();

        assertThat(h.telegram.methods()).containsExactly("getMe", "setWebhook");
        assertThat(h.telegram.calls("setWebhook").get(0).json()).isEqualTo(JSON.readTree("{\"url\":"
                + "\"https://bot.example.org/telegram/main\",\"secret_token\":\"" + WEBHOOK_SECRET + "\","
                + "\"drop_pending_updates\":false,\"allowed_updates\":[\"message\"]}"));
        assertThat(h.webhookPath).isEqualTo("/telegram/main");
        assertThat(connector.testConnection()).isEqualTo(ConnectionTestResult.ok("reached " + h.telegram.baseUrl()
                + " as @" + FakeTelegram.BOT_USERNAME + "; webhook https://bot.example.org/telegram/main, 0 updates "
                + "pending"));

        h.stop(connector);
        assertThat(h.webhookClosed).isTrue();
        Harness.await("no thread of the instance is left", () -> !Harness.threadsAlive("grambot-telegram-main"));
    }

    @Test
    void onlyRequestsWithTheSecretAreTaken() throws Exception {
        start();

        assertThat(h.webhook.receive(WEBHOOK_SECRET, update(1, "good"))).isEqualTo(new Webhook.Answer(200, "ok"));
        assertThat(h.context.next().text()).isEqualTo("good");
        assertThat(h.webhook.receive("w3bhook-Secret_0123456788", update(2, "bad")).status()).isEqualTo(403);
        assertThat(h.webhook.receive(null, update(3, "missing")).status()).isEqualTo(403);
        assertThat(h.webhook.receive("", update(4, "empty")).status()).isEqualTo(403);
        assertThat(h.context.emitted.poll(200, TimeUnit.MILLISECONDS)).isNull();
        assertThat(h.lines("WARN")).containsExactly(
                "telegram 'main' refused a webhook request with a wrong X-Telegram-Bot-Api-Secret-Token",
                "telegram 'main' refused a webhook request without X-Telegram-Bot-Api-Secret-Token",
                "telegram 'main' refused a webhook request with a wrong X-Telegram-Bot-Api-Secret-Token");
    }

    @Test
    void anUpdateSentTwiceIsHandedOnOnceAndNonsenseIsRefused() throws Exception {
        start();

        assertThat(h.webhook.receive(WEBHOOK_SECRET, update(7, "once")).status()).isEqualTo(200);
        assertThat(h.webhook.receive(WEBHOOK_SECRET, update(7, "once")).status()).isEqualTo(200);
        assertThat(h.webhook.receive(WEBHOOK_SECRET, "{\"update_id\":".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(new Webhook.Answer(400, "expected a Telegram update"));

        assertThat(h.context.next().text()).isEqualTo("once");
        assertThat(h.context.emitted.poll(200, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void theServletChecksTheHeaderOnEveryRequest() throws Exception {
        start();
        WebhookServlet servlet = new WebhookServlet(h.webhook);

        assertThat(post(servlet, WEBHOOK_SECRET, update(10, "via servlet"))).isEqualTo("200 ok");
        assertThat(h.context.next().text()).isEqualTo("via servlet");
        assertThat(post(servlet, "nope", update(11, "x"))).isEqualTo("403 forbidden");
        assertThat(post(servlet, null, update(12, "x"))).isEqualTo("403 forbidden");
        assertThat(post(servlet, WEBHOOK_SECRET, new byte[Webhook.MAX_BODY_BYTES + 1])).isEqualTo("413 too large");
    }

    @Test
    void aWebhookTelegramCannotSetNowIsSetInTheBackground() throws Exception {
        h.telegram.then("setWebhook", FakeTelegram.answer(502, "<html>Bad Gateway</html>"));

        start();

        Harness.await("the webhook is set", () -> h.telegram.calls("setWebhook").size() == 2
                && h.lines("INFO").contains("telegram 'main' receives updates at https://bot.example.org/telegram/main"));
        assertThat(h.lines("WARN")).containsExactly("telegram 'main' cannot set its webhook yet (POST "
                + h.telegram.baseUrl() + "/bot******/setWebhook answered 502 Bad Gateway: application/json (24 bytes): "
                + "<html>Bad Gateway</html>); trying again in the background");
        assertThat(h.sleeps).hasSize(1);
    }

    @Test
    void aWebhookTelegramRefusesFailsTheStart() {
        h.telegram.then("setWebhook", FakeTelegram.answer(400, "{\"ok\":false,\"error_code\":400,"
                + "\"description\":\"Bad Request: bad webhook: Failed to resolve host: Name or service not known\"}"));

        PluginException e = catchThrowableOfType(PluginException.class, this::start);

        assertThat(e).hasMessage("POST " + h.telegram.baseUrl() + "/bot******/setWebhook answered 400 Bad Request: "
                + "Bad Request: bad webhook: Failed to resolve host: Name or service not known");
        assertThat(h.webhookClosed).isTrue();
    }

    @Test
    void webhookModeNeedsASecret() {
        FakeContext noSecret = new FakeContext("main", h.data).secret(TelegramConnector.BOT_TOKEN, Harness.TOKEN);

        PluginException e = catchThrowableOfType(PluginException.class, () -> h.start(h.settings(Mode.WEBHOOK,
                GroupMode.MENTION, ParseMode.NONE, false), noSecret));

        assertThat(e).hasMessage("instance 'main' is in webhook mode but has no 'webhookSecret': set one (1 to 256 "
                + "characters A-Z, a-z, 0-9, _ and -)");
        assertThat(h.webhookPath).isNull();
    }

    /** Posts to the servlet; returns "status body". */
    private static String post(WebhookServlet servlet, String secret, byte[] body) throws Exception {
        ByteArrayInputStream in = new ByteArrayInputStream(body);
        ServletInputStream input = new ServletInputStream() {
            @Override
            public int read() {
                return in.read();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                return in.read(b, off, len);
            }

            @Override
            public boolean isFinished() {
                return in.available() == 0;
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setReadListener(ReadListener listener) {}
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ServletOutputStream output = new ServletOutputStream() {
            @Override
            public void write(int b) {
                out.write(b);
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {}
        };
        int[] status = { 200 };
        HttpServletRequest request = (HttpServletRequest) Proxy.newProxyInstance(WebhookTest.class.getClassLoader(),
                new Class<?>[] { HttpServletRequest.class }, (proxy, method, args) -> switch (method.getName()) {
                    case "getMethod" -> "POST";
                    case "getHeader" -> Webhook.SECRET_HEADER.equalsIgnoreCase((String) args[0]) ? secret : null;
                    case "getInputStream" -> input;
                    case "getProtocol" -> "HTTP/1.1";
                    default -> null;
                });
        HttpServletResponse response = (HttpServletResponse) Proxy.newProxyInstance(
                WebhookTest.class.getClassLoader(), new Class<?>[] { HttpServletResponse.class },
                (proxy, method, args) -> switch (method.getName()) {
                    case "setStatus" -> {
                        status[0] = (Integer) args[0];
                        yield null;
                    }
                    case "getOutputStream" -> output;
                    default -> null;
                });
        servlet.service(request, response);
        return status[0] + " " + out.toString(StandardCharsets.UTF_8);
    }
}
