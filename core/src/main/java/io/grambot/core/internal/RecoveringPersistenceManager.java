package io.grambot.core.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.felix.cm.PersistenceManager;
import org.apache.felix.cm.file.ConfigurationHandler;
import org.apache.felix.cm.file.FilePersistenceManager;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Felix ConfigAdmin's file store, made safe against a kill in the middle of a write. Felix writes a configuration to
 * {@code <pid>.config<random>.tmp}, then <em>deletes</em> {@code <pid>.config}, then renames the temporary file:
 * killed between the two steps, the configuration is gone at the next start (found by {@code CrashSafetyKillTest}).
 * Before ConfigAdmin reads anything, this puts such a complete temporary file in place of the missing one and
 * removes the temporary files of writes that never finished; then it is Felix's store unchanged. ConfigAdmin uses it
 * when the framework property {@code felix.cm.pm} is {@value #NAME} (the distribution and the tests set it).
 * It also tells the core of each configuration as it is written ({@link ConfigurationSaves}), so that a secret
 * typed into it is stored before the next save can write over it.
 */
@Component(service = PersistenceManager.class, property = "name=" + RecoveringPersistenceManager.NAME)
public final class RecoveringPersistenceManager implements PersistenceManager {

    static final String NAME = "grambot";
    private static final Pattern TEMP = Pattern.compile("(.+\\.config)\\d+\\.tmp");
    private static final String REVISION = ":org.apache.felix.configadmin.revision:";

    private final FilePersistenceManager store;
    /** Optional, because ConfigAdmin needs the store before anything else of the core can start. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ConfigurationSaves saves;

    @Activate
    public RecoveringPersistenceManager(BundleContext context,
            @Reference(service = LoggerFactory.class) Logger log) {
        String dir = context.getProperty("felix.cm.dir");
        this.store = new FilePersistenceManager(context, dir);
        for (String recovered : recover(store.getLocation().toPath())) {
            log.warn("ConfigAdmin store: {}", recovered);
        }
    }

    /** Repairs what a kill during a write left in {@code dir}; says what it did, one line per file. */
    static List<String> recover(Path dir) {
        List<String> done = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return done;
        }
        Map<Path, List<Path>> tempsByTarget = new HashMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            files.forEach(file -> {
                Matcher m = TEMP.matcher(file.getFileName().toString());
                if (m.matches()) {
                    tempsByTarget.computeIfAbsent(file.resolveSibling(m.group(1)), t -> new ArrayList<>()).add(file);
                }
            });
        } catch (IOException e) {
            done.add("cannot list " + dir + ": " + e);
            return done;
        }
        tempsByTarget.forEach((target, temps) -> {
            Path newest = null;
            if (!Files.exists(target)) {
                // the kill came between Felix's delete of the target and its rename: the newest whole copy wins
                newest = temps.stream().filter(RecoveringPersistenceManager::whole)
                        .max(Comparator.comparingLong(RecoveringPersistenceManager::revision)).orElse(null);
            }
            for (Path temp : temps) {
                try {
                    if (temp.equals(newest)) {
                        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
                        done.add("restored " + target.getFileName() + " from " + temp.getFileName()
                                + ", written when the framework was killed");
                    } else {
                        Files.delete(temp);
                        done.add("removed " + temp.getFileName() + ", a write that did not finish");
                    }
                } catch (IOException e) {
                    done.add("cannot repair " + temp + ": " + e);
                }
            }
        });
        return done;
    }

    /** A file Felix finished writing: it ends with a line break and parses, with its PID. */
    private static boolean whole(Path file) {
        try {
            byte[] content = Files.readAllBytes(file);
            if (content.length == 0 || content[content.length - 1] != '\n') {
                return false;
            }
            try (InputStream in = Files.newInputStream(file)) {
                return ConfigurationHandler.read(in).get("service.pid") != null;
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static long revision(Path file) {
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.startsWith(REVISION)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // no revision: the oldest
        }
        return -1;
    }

    @Override
    public boolean exists(String pid) {
        return store.exists(pid);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Dictionary load(String pid) throws IOException {
        return store.load(pid);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Enumeration getDictionaries() throws IOException {
        return store.getDictionaries();
    }

    @Override
    @SuppressWarnings({ "rawtypes", "unchecked" })
    public void store(String pid, Dictionary properties) throws IOException {
        store.store(pid, properties);
        ConfigurationSaves told = saves;
        if (told != null) {
            told.saved(pid, properties);
        }
    }

    @Override
    public void delete(String pid) throws IOException {
        store.delete(pid);
        ConfigurationSaves told = saves;
        if (told != null) {
            told.removed(pid);
        }
    }
}
