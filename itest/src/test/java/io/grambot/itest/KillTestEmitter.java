package io.grambot.itest;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

import io.grambot.api.PluginContext;
import io.grambot.api.PluginEvent;
import io.grambot.api.runtime.EventQueueMonitor;

/**
 * Fixture of {@link EventJournalKillTest}, active only in the forked framework that configures it: emits
 * {@code count} events through the {@code killtest} instance and appends each accepted id to a file as soon as
 * emit has returned.
 */
@Component(configurationPid = KillTestEmitter.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        immediate = true, service = {})
public final class KillTestEmitter {

    static final String PID = "grambot.itest.emitter";
    static final String TYPE = "itest.kill";

    @interface Config {
        String accepted();

        int count() default 1000;
    }

    private final Thread thread;

    @Activate
    public KillTestEmitter(Config config,
            @Reference(name = "killtestContext", target = "(grambot.instance.id=killtest)") PluginContext context,
            @Reference(name = "monitor") EventQueueMonitor monitor) {
        thread = new Thread(() -> emit(config, context, monitor), "itest-emitter");
        thread.start();
    }

    @Deactivate
    void stop() {
        thread.interrupt();
    }

    private static void emit(Config config, PluginContext context, EventQueueMonitor monitor) {
        try (OutputStream accepted = new FileOutputStream(config.accepted(), true)) {
            // a new event with no handler is dropped as unhandled: start once the recorder is bound
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (monitor.status().handlers() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            for (int n = 0; n < config.count() && !Thread.currentThread().isInterrupted(); n++) {
                PluginEvent event = context.emit(TYPE, Map.of("n", n));
                // unbuffered: one write per line, in the file before the next emit
                accepted.write((event.id() + " " + n + "\n").getBytes(StandardCharsets.UTF_8));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | io.grambot.api.PluginException e) {
            System.err.println("itest emitter stopped: " + e);
        }
    }
}
