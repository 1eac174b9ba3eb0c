package io.grambot.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.log.Logger;

import io.grambot.api.PluginEvent;
import io.grambot.api.connector.Connector;
import io.grambot.api.connector.IncomingMessage;
import io.grambot.api.connector.OutgoingMessage;
import io.grambot.api.inference.ChatRequest;
import io.grambot.api.inference.ChatResponse;
import io.grambot.api.inference.ChatResponse.StopReason;
import io.grambot.api.inference.InferenceProvider;
import io.grambot.api.runtime.PluginRuntime;
import io.grambot.core.internal.bot.ConversationStore;

/** Clearing a conversation from outside (the console) is ordered with the conversation's turns. */
class BotComponentClearTest {

    @TempDir
    Path data;

    private final Logger log = proxy(Logger.class, (method, args) -> null);
    private final Registries registries = new Registries(log);
    private final CountDownLatch modelCalled = new CountDownLatch(1);
    private final CountDownLatch modelMayAnswer = new CountDownLatch(1);
    private final List<OutgoingMessage> sent = new CopyOnWriteArrayList<>();
    private BotComponent bot;

    @AfterEach
    void stop() {
        modelMayAnswer.countDown();
        if (bot != null) {
            bot.deactivate();
        }
    }

    @Test
    void aClearDuringARunningTurnWaitsForItSoTheTurnCannotWriteTheHistoryBack() throws Exception {
        registries.addProvider(new InferenceProvider() {
            @Override
            public String id() {
                return "model";
            }

            @Override
            public ChatResponse chat(ChatRequest request) {
                modelCalled.countDown();
                try {
                    modelMayAnswer.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return new ChatResponse("answer", List.of(), StopReason.END_TURN, null);
            }
        }, reference());
        registries.addConnector(new Connector() {
            @Override
            public String id() {
                return "chat";
            }

            @Override
            public void send(OutgoingMessage message) {
                sent.add(message);
            }
        }, reference());
        bot = new BotComponent(config(), Map.of(Constants.SERVICE_PID, "grambot.bot~clearer"), context(), registries,
                proxy(PluginRuntime.class, (method, args) -> method.getReturnType() == Optional.class ? Optional.empty()
                        : null), proxy(io.grambot.api.action.ActionInvoker.class,
                                (method, args) -> method.getReturnType() == List.class ? List.of() : null), log);
        String key = ConversationStore.key("room");
        Path history = data.resolve("bots/clearer/chat/" + key + ".json");

        bot.handle(new PluginEvent("e1", "testchat", "chat", IncomingMessage.EVENT_TYPE,
                new IncomingMessage("room", "m1", "u1", "Ann", "hello", List.of()).toPayload(), Instant.now()));
        assertThat(modelCalled.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Boolean> cleared = bot.clear("chat", key);

        assertThat(cleared).isNotDone(); // behind the running turn
        modelMayAnswer.countDown();
        assertThat(cleared.get(10, TimeUnit.SECONDS)).as("the turn saved its history, then it was cleared").isTrue();
        assertThat(history).doesNotExist();
        assertThat(bot.conversations()).isEmpty();
        assertThat(sent).extracting(OutgoingMessage::text).containsExactly("answer");
        assertThat(bot.clear("chat", key).get(10, TimeUnit.SECONDS)).as("nothing left to clear").isFalse();
    }

    private BotComponent.Config config() {
        Map<String, Object> values = Map.of("connectors", new String[] { "chat" }, "provider", "model");
        return proxy(BotComponent.Config.class,
                (method, args) -> values.getOrDefault(method.getName(), method.getDefaultValue()));
    }

    private BundleContext context() {
        return proxy(BundleContext.class,
                (method, args) -> method.getName().equals("getProperty") && DataLayout.DATA_PROPERTY.equals(args[0])
                        ? data.toString() : null);
    }

    @SuppressWarnings("unchecked")
    private static <S> ServiceReference<S> reference() {
        Bundle bundle = proxy(Bundle.class, (method, args) -> method.getName().equals("getSymbolicName") ? "test"
                : null);
        return proxy(ServiceReference.class, (method, args) -> method.getName().equals("getBundle") ? bundle : null);
    }

    interface Answer {
        Object answer(java.lang.reflect.Method method, Object[] args);
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, Answer answer) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] { type }, (p, method, args) -> {
            if (method.getName().equals("hashCode")) {
                return System.identityHashCode(p);
            }
            if (method.getName().equals("equals")) {
                return p == args[0];
            }
            Object value = answer.answer(method, args);
            return value == null && method.getReturnType() == boolean.class ? false : value;
        });
    }
}
