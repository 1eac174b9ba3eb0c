package io.grambot.itest;

import static io.grambot.itest.ForkedFramework.deleteTree;
import static io.grambot.itest.ForkedFramework.lines;
import static io.grambot.itest.ForkedFramework.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

import org.apache.felix.cm.file.ConfigurationHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.junit5.context.BundleContextExtension;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * kill -9 at random points of a workload ({@link KillTestWorkload}: ConfigAdmin edits, secret writes,
 * {@code settings.json} edits and events, all at once) loses no acknowledged write: after each kill
 * {@code settings.json}, {@code secrets.json}, {@code state/settings.base.json} and every file of the ConfigAdmin
 * store parse, and each key of those files holds its last acknowledged value or a later one; after each restart
 * every acknowledged configuration is in the ConfigAdmin store with its value or a later one (the core's store
 * repairs a kill in the middle of Felix's write at the start) and every acknowledged event of the rounds before is
 * delivered. {@code GRAMBOT_KILL_ROUNDS} rounds (5 in the build,
 * {@code bench/kill.sh} runs 50).
 */
@ExtendWith(BundleContextExtension.class)
class CrashSafetyKillTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @InjectBundleContext
    BundleContext context;

    private ForkedFramework frameworks;

    @BeforeEach
    void frameworks() {
        frameworks = new ForkedFramework(context);
    }

    @AfterEach
    void stopForked() {
        frameworks.close();
    }

    /** The acknowledged writes: the highest value of each key, and how many there were. */
    private record Acks(Map<String, Long> last, Set<String> events, int writes, Set<String> kindsOfRound) {}

    @Test
    void noAcknowledgedWriteIsLostAcrossKills() throws Exception {
        int rounds = Integer.parseInt(System.getenv().getOrDefault("GRAMBOT_KILL_ROUNDS", "5"));
        long seed = System.nanoTime();
        Random random = new Random(seed);
        Path home = Fixtures.dataDir(context).resolveSibling("crashtest");
        deleteTree(home);
        Path etc = Files.createDirectories(home.resolve("etc"));
        Path ackLog = home.resolve("acks");
        Path handled = home.resolve("handled");
        Files.writeString(etc.resolve("echo-killtest.cfg"), "toolName=killtest\n");
        Files.writeString(etc.resolve(KillTestRecorder.PID + ".cfg"), "handled=" + handled + "\ndelayMillis=0\n");
        Files.writeString(etc.resolve(KillTestWorkload.PID + ".cfg"), "acks=" + ackLog + "\n");

        long started = System.nanoTime();
        long writesChecked = 0;
        for (int round = 1; round <= rounds + 1; round++) {
            int r = round;
            Set<String> earlierEvents = acks(ackLog, r).events();
            Process framework = frameworks.start(home, "round-" + r, etc,
                    Map.of(KillTestWorkload.ROUND_PROPERTY, Integer.toString(r)));
            waitFor(framework, home, "round " + r + " has acknowledged a write of each kind and every event of the"
                    + " rounds before is delivered", () -> acks(ackLog, r).kindsOfRound().size() == 4
                            && delivered(handled).containsAll(earlierEvents));
            if (r > 1) {
                checkStore(framework, home, acks(ackLog, r - 1), r - 1);
            }
            if (r > rounds) {
                ForkedFramework.kill(framework); // the last start only checks the last round's events
                break;
            }
            Thread.sleep(random.nextInt(1_500)); // the kill's random point in the workload, not a wait
            ForkedFramework.kill(framework);
            Acks acks = acks(ackLog, r);
            checkFiles(home.resolve("data"), acks, r);
            writesChecked += acks.writes();
        }
        Acks all = acks(ackLog, rounds);
        assertThat(delivered(handled)).as("events delivered").containsAll(all.events());
        String figures = String.format("kill test (seed %d): %d kills survived, %d events checked, %d writes"
                + " checked (%d acknowledged, each key checked after every kill), %d s%n", seed, rounds,
                all.events().size(), writesChecked, all.writes(), (System.nanoTime() - started) / 1_000_000_000L);
        System.out.print(figures);
        Files.writeString(home.resolveSibling("crashtest-figures.txt"), figures); // for bench/kill.sh
        assertThat(all.writes()).as("acknowledged writes").isGreaterThan(rounds * 3);
    }

    private static void checkFiles(Path data, Acks acks, int round) throws IOException {
        String after = "after kill " + round + ": ";
        JsonNode settings = JSON.readTree(data.resolve("settings.json").toFile());
        JSON.readTree(data.resolve("state").resolve("settings.base.json").toFile());
        Map<String, Map<String, String>> secrets = JSON.readValue(data.resolve("secrets.json").toFile(),
                new TypeReference<>() {});
        configStore(data.resolve("config")); // every store file the kill left parses

        for (Map.Entry<String, Long> ack : acks.last().entrySet()) {
            String[] kindKey = ack.getKey().split(" ");
            if (kindKey[0].equals("cfg")) {
                continue; // in the store once the framework has started again (checkStore)
            }
            String what = after + ack.getKey() + " acknowledged as " + ack.getValue();
            long found = switch (kindKey[0]) {
                case "secret" -> Long.parseLong(secrets.get("killtest").get(kindKey[1]).substring(1));
                case "file" -> {
                    JsonNode bot = null;
                    for (JsonNode entry : settings.path("bots")) {
                        if (kindKey[1].equals(entry.path("botId").asText())) {
                            bot = entry;
                        }
                    }
                    assertThat(bot).as(what + ": its entry in settings.json").isNotNull();
                    yield Long.parseLong(bot.path("settings").path("systemPrompt").asText());
                }
                default -> throw new AssertionError("unknown kind in " + ack.getKey());
            };
            assertThat(found).as(what).isGreaterThanOrEqualTo(ack.getValue());
        }
    }

    /**
     * Every acknowledged configuration write of the rounds up to {@code round} is in the ConfigAdmin store once the
     * framework has started again. Not right after the kill: Felix deletes {@code <pid>.config} before renaming the
     * new copy over it, and a kill in between leaves only the whole temporary copy, which the core's store puts in
     * place at the start, before ConfigAdmin reads anything. The store is live by then, so a file being rewritten is
     * looked at again.
     */
    private static void checkStore(Process framework, Path home, Acks acks, int round) throws Exception {
        String what = "after kill " + round + " and the restart, every acknowledged configuration write is in the store";
        try {
            waitFor(framework, home, what, () -> storeProblem(home.resolve("data").resolve("config"), acks).isEmpty());
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + ": " + storeProblem(home.resolve("data").resolve("config"), acks)
                    .orElse("(holds now)"), e);
        }
    }

    private static java.util.Optional<String> storeProblem(Path dir, Acks acks) throws IOException {
        Map<String, Dictionary<String, Object>> store;
        try {
            store = configStore(dir);
        } catch (AssertionError | java.io.UncheckedIOException e) { // the file, or the walk, met a renamed file
            if (e.getCause() instanceof java.nio.file.NoSuchFileException) {
                return java.util.Optional.of("a store file was being rewritten: " + e.getCause().getMessage());
            }
            throw e;
        }
        for (Map.Entry<String, Long> ack : acks.last().entrySet()) {
            String[] kindKey = ack.getKey().split(" ");
            if (!kindKey[0].equals("cfg")) {
                continue;
            }
            Dictionary<String, Object> configuration = store.get("echo~" + kindKey[1]);
            if (configuration == null) {
                return java.util.Optional.of(ack.getKey() + " acknowledged as " + ack.getValue()
                        + ": its configuration is not in the store");
            }
            long found = Long.parseLong((String) configuration.get("prefix"));
            if (found < ack.getValue()) {
                return java.util.Optional.of(ack.getKey() + " acknowledged as " + ack.getValue() + ", the store has "
                        + found);
            }
        }
        return java.util.Optional.empty();
    }

    /** Every configuration of the ConfigAdmin store by PID; each file must parse. */
    private static Map<String, Dictionary<String, Object>> configStore(Path dir) throws IOException {
        Map<String, Dictionary<String, Object>> store = new HashMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".config")).toList()) {
                try (InputStream in = Files.newInputStream(file)) {
                    @SuppressWarnings("unchecked")
                    Dictionary<String, Object> properties = ConfigurationHandler.read(in);
                    assertThat(properties.get("service.pid")).as(file + " names its PID").isNotNull();
                    store.put((String) properties.get("service.pid"), properties);
                } catch (IOException e) {
                    throw new AssertionError("the ConfigAdmin store file " + file + " does not parse: " + e, e);
                }
            }
        }
        return store;
    }

    /** The acknowledged writes and events up to {@code round} (all with 0), and the kinds round wrote. */
    private static Acks acks(Path ackLog, int round) throws IOException {
        Map<String, Long> last = new HashMap<>();
        Set<String> events = new LinkedHashSet<>();
        Set<String> kindsOfRound = new HashSet<>();
        int writes = 0;
        for (String line : lines(ackLog)) {
            String[] parts = line.split(" ");
            if (parts.length != 3 || !parts[2].matches("\\d+")) {
                continue; // the line a kill cut, ended by the next run
            }
            long n = Long.parseLong(parts[2]);
            long ofRound = n / 1_000_000_000L;
            if (round > 0 && ofRound > round) {
                continue;
            }
            if (ofRound == round) {
                kindsOfRound.add(parts[0]);
            }
            if (parts[0].equals("event")) {
                events.add(parts[1]);
            } else {
                writes++;
                last.merge(parts[0] + " " + parts[1], n, Math::max);
            }
        }
        return new Acks(last, events, writes, kindsOfRound);
    }

    private static Set<String> delivered(Path handled) throws IOException {
        Set<String> ids = new HashSet<>();
        for (String line : lines(handled)) {
            String[] parts = line.split(" ");
            if (parts.length == 2) {
                ids.add(parts[0]);
            }
        }
        return ids;
    }
}
