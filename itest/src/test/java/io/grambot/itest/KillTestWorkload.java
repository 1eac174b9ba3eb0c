package io.grambot.itest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.grambot.api.PluginContext;
import io.grambot.api.PluginEvent;
import io.grambot.api.Secret;
import io.grambot.api.runtime.EventQueueMonitor;

/**
 * Fixture of {@link CrashSafetyKillTest}, active only in the forked framework that configures it: four threads
 * that, until the kill, edit instance settings through ConfigAdmin ({@code prefix} of the echo instances
 * {@value #CFG_A} and {@value #CFG_B}), write secrets of the {@code killtest} instance through its
 * {@link PluginContext#secrets()}, edit {@code settings.json} as a user would (the {@code systemPrompt} of the
 * disabled bot {@value #BOT}, written atomically and only over the content it read), and emit events. Each write
 * and event is appended to the ack log, {@code <kind> <key> <n>}, and forced to disk once its call has returned.
 * Values are {@code n = round * 10^9 + i}, so that a later round's value is greater.
 */
@Component(configurationPid = KillTestWorkload.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        immediate = true, service = {})
public final class KillTestWorkload {

    static final String PID = "grambot.itest.workload";
    static final String ROUND_PROPERTY = "grambot.itest.round";
    static final String CFG_A = "crasha";
    static final String CFG_B = "crashb";
    static final String BOT = "crashbot";
    static final int SECRET_KEYS = 3;

    @interface Config {
        String acks();
    }

    private final FileChannel acks;
    private final long base;
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private volatile boolean stopped;

    @Activate
    public KillTestWorkload(Config config, BundleContext bundleContext, @Reference ConfigurationAdmin configAdmin,
            @Reference(name = "killtestContext", target = "(grambot.instance.id=killtest)") PluginContext context,
            @Reference(name = "monitor") EventQueueMonitor monitor) throws IOException {
        this.base = Long.parseLong(bundleContext.getProperty(ROUND_PROPERTY)) * 1_000_000_000L;
        Path ackFile = Path.of(config.acks());
        endTornLine(ackFile);
        this.acks = FileChannel.open(ackFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        Path settings = Path.of(bundleContext.getProperty("grambot.data")).resolve("settings.json");
        start("cfg", () -> editConfigurations(configAdmin));
        start("secret", () -> writeSecrets(context));
        start("file", () -> editSettingsFile(settings));
        start("event", () -> emitEvents(context, monitor));
    }

    @Deactivate
    void stop() throws IOException {
        stopped = true;
        threads.forEach(Thread::interrupt);
        acks.close();
    }

    private interface Work {
        void run() throws Exception;
    }

    private void start(String kind, Work work) {
        Thread thread = new Thread(() -> {
            try {
                work.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                if (!stopped) {
                    System.err.println("itest workload " + kind + " stopped: " + e);
                    e.printStackTrace();
                }
            }
        }, "itest-workload-" + kind);
        threads.add(thread);
        thread.start();
    }

    private void editConfigurations(ConfigurationAdmin configAdmin) throws Exception {
        for (long i = 0; !stopped; i++) {
            String instance = i % 2 == 0 ? CFG_A : CFG_B;
            Configuration configuration = configAdmin.getFactoryConfiguration("echo", instance, "?");
            Dictionary<String, Object> properties = configuration.getProperties();
            if (properties == null) {
                properties = new Hashtable<>();
            }
            properties.put("toolName", instance);
            properties.put("prefix", Long.toString(base + i));
            configuration.update(properties);
            ack("cfg", instance, base + i);
            Thread.sleep(10); // pacing, so that the other writers get the machine too
        }
    }

    private void writeSecrets(PluginContext context) throws Exception {
        for (long i = 0; !stopped; i++) {
            String key = "s" + (i % SECRET_KEYS);
            context.secrets().put(key, Secret.of("v" + (base + i)));
            ack("secret", key, base + i);
            Thread.sleep(5); // pacing
        }
    }

    /** Edits {@code settings.json} like a careful editor: atomically, and only if nobody wrote it meanwhile. */
    private void editSettingsFile(Path settings) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        Path temp = settings.resolveSibling(".settings.json.workload");
        for (long i = 0; !stopped;) {
            byte[] read;
            try {
                read = Files.readAllBytes(settings);
            } catch (NoSuchFileException e) {
                Thread.sleep(20); // the core writes it at its first sync
                continue;
            }
            ObjectNode root = (ObjectNode) mapper.readTree(read);
            ArrayNode bots = root.has("bots") ? (ArrayNode) root.get("bots") : root.putArray("bots");
            ObjectNode bot = null;
            for (JsonNode entry : bots) {
                if (BOT.equals(entry.path("botId").asText())) {
                    bot = (ObjectNode) entry;
                }
            }
            if (bot == null) {
                bot = bots.addObject().put("botId", BOT).put("enabled", false);
                bot.putObject("settings").putArray("connectors").add("none");
            }
            ((ObjectNode) bot.get("settings")).put("systemPrompt", Long.toString(base + i));
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                channel.write(ByteBuffer.wrap(mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(root)));
                channel.force(true);
            }
            if (!Arrays.equals(read, Files.readAllBytes(settings))) {
                continue; // the core wrote it meanwhile: edit its new content
            }
            Files.move(temp, settings, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel dir = FileChannel.open(settings.getParent(), StandardOpenOption.READ)) {
                dir.force(true);
            }
            ack("file", BOT, base + i);
            i++;
            Thread.sleep(30); // pacing: an editor saves now and then
        }
    }

    private void emitEvents(PluginContext context, EventQueueMonitor monitor) throws Exception {
        // a new event with no handler is dropped as unhandled: start once the recorder is bound
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (monitor.status().handlers() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        for (long i = 0; !stopped; i++) {
            PluginEvent event = context.emit(KillTestEmitter.TYPE, Map.of("n", base + i));
            ack("event", event.id(), base + i);
            if (i % 10 == 9) {
                Thread.sleep(1); // pacing: a few hundred events a second
            }
        }
    }

    private synchronized void ack(String kind, String key, long n) throws IOException {
        ByteBuffer line = ByteBuffer.wrap((kind + " " + key + " " + n + "\n").getBytes(StandardCharsets.UTF_8));
        while (line.hasRemaining()) {
            acks.write(line);
        }
        acks.force(false);
    }

    /** A line cut by the last kill has no newline: end it, so that the next line stays whole. */
    static void endTornLine(Path file) throws IOException {
        if (!Files.exists(file) || Files.size(file) == 0) {
            return;
        }
        ByteBuffer last = ByteBuffer.allocate(1);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            channel.read(last, channel.size() - 1);
        }
        if (last.get(0) != '\n') {
            Files.write(file, new byte[] { '\n' }, StandardOpenOption.APPEND);
        }
    }
}
