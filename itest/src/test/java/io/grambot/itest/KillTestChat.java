package io.grambot.itest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

import io.grambot.api.GrambotPlugin;
import io.grambot.api.PluginConstants;
import io.grambot.api.PluginContext;
import io.grambot.api.PluginException;
import io.grambot.api.connector.Connector;
import io.grambot.api.connector.IncomingMessage;
import io.grambot.api.connector.OutgoingMessage;
import io.grambot.api.runtime.EventQueueMonitor;

/**
 * Fixture of {@link EventJournalKillTest}, active only in the forked framework that configures it: a connector that
 * receives the messages of its {@code say} setting ("conversation:text", comma-separated) once a handler is there,
 * and appends every answer to its {@code answers} file as "conversation text".
 */
@GrambotPlugin(id = "killchat", name = "Kill-test chat", description = "A connector for the kill -9 bot test.")
@Component(configurationPid = "killchat", configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true,
        service = Connector.class)
public final class KillTestChat implements Connector {

    @interface Config {
        String answers();

        String say() default "";
    }

    private final PluginContext context;
    private final Path answers;
    private final Thread thread;

    @Activate
    public KillTestChat(Config config, @Reference(name = PluginConstants.CONTEXT_REFERENCE) PluginContext context,
            @Reference(name = "monitor") EventQueueMonitor monitor) {
        this.context = context;
        this.answers = Path.of(config.answers());
        String[] say = config.say().isEmpty() ? new String[0] : config.say().split(",");
        thread = new Thread(() -> say(say, monitor), "itest-killchat");
        thread.start();
    }

    @Deactivate
    void stop() {
        thread.interrupt();
    }

    private void say(String[] messages, EventQueueMonitor monitor) {
        try {
            // a new event with no handler is dropped as unhandled: speak once the bot is bound
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (messages.length > 0 && monitor.status().handlers() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            for (String message : messages) {
                String[] parts = message.split(":", 2);
                context.emit(IncomingMessage.EVENT_TYPE, new IncomingMessage(parts[0], parts[0] + "-1", "tester",
                        "Tester", parts[1], List.of()).toPayload());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (PluginException e) {
            System.err.println("itest killchat could not emit: " + e);
        }
    }

    @Override
    public String id() {
        return context.instanceId();
    }

    @Override
    public void send(OutgoingMessage message) throws PluginException {
        try {
            append(message.conversationId() + " " + message.text());
        } catch (IllegalStateException e) {
            throw new PluginException(e.getMessage(), e);
        }
    }

    private synchronized void append(String line) {
        try {
            Files.write(answers, (line + "\n").getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + answers + ": " + e, e);
        }
    }
}
