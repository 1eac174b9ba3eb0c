package io.grambot.itest;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;

import io.grambot.api.PluginConstants;
import io.grambot.api.PluginEvent;
import io.grambot.api.PluginEventHandler;

/**
 * Fixture of {@link EventJournalKillTest}, active only in the forked framework that configures it: a slow handler
 * that appends the id of every event it handled to a file.
 */
@Component(configurationPid = KillTestRecorder.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        property = PluginConstants.EVENT_TYPE + "=" + KillTestEmitter.TYPE)
public final class KillTestRecorder implements PluginEventHandler {

    static final String PID = "grambot.itest.recorder";

    @interface Config {
        String handled();

        long delayMillis() default 2;
    }

    private final OutputStream handled;
    private final long delayMillis;

    @Activate
    public KillTestRecorder(Config config) throws IOException {
        KillTestWorkload.endTornLine(Path.of(config.handled())); // the file may go on from a killed run
        this.handled = new FileOutputStream(config.handled(), true);
        this.delayMillis = config.delayMillis();
    }

    @Deactivate
    void stop() throws IOException {
        handled.close();
    }

    @Override
    public void handle(PluginEvent event) throws Exception {
        Thread.sleep(delayMillis); // the work a real handler would do: lets a backlog build up
        synchronized (handled) {
            handled.write((event.id() + " " + event.payload().get("n") + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }
}
