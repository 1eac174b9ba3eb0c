package io.grambot.core.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.grambot.api.PluginException;
import io.grambot.api.Secret;
import io.grambot.api.Secrets;

/**
 * The secrets of all instances in one JSON file, {@code {"<instanceId>": {"<key>": "<value>"}}}, mode 0600,
 * rewritten atomically on every change. Only {@link #forInstance} views leave this class, and {@link #values()} for
 * the redactor, which must know every value to mask it. One component, so that the instance manager and the
 * redactor share one view of the file.
 */
@Component(service = SecretStore.class)
public final class SecretStore {

    private static final TypeReference<TreeMap<String, TreeMap<String, String>>> FORMAT = new TypeReference<>() {};

    private final Path file;
    private final ObjectMapper mapper;
    private TreeMap<String, TreeMap<String, String>> secrets;
    /** Secrets the environment gives (never stored), by instance: they must be masked as well. */
    private final Map<String, Map<String, String>> overrides = new ConcurrentHashMap<>();

    @Activate
    public SecretStore(BundleContext context) throws IOException {
        this(DataLayout.of(context).secretsFile(), new ObjectMapper());
    }

    SecretStore(Path file, ObjectMapper mapper) throws IOException {
        this.file = file;
        this.mapper = mapper;
        this.secrets = load();
    }

    private TreeMap<String, TreeMap<String, String>> load() throws IOException {
        if (!Files.exists(file)) {
            return new TreeMap<>();
        }
        try {
            TreeMap<String, TreeMap<String, String>> read = mapper.readValue(file.toFile(), FORMAT);
            return read == null ? new TreeMap<>() : read;
        } catch (JsonProcessingException e) {
            // the parser's message quotes file content, which may be a secret: report the position only
            throw new IOException("secrets file " + file + " is not valid JSON at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr());
        }
    }

    /** The view of one instance's secrets. */
    Secrets forInstance(String instanceId) {
        return new Secrets() {
            @Override
            public Optional<Secret> get(String key) {
                return SecretStore.this.get(instanceId, key).map(Secret::of);
            }

            @Override
            public void put(String key, Secret value) throws PluginException {
                SecretStore.this.put(instanceId, key, value.reveal());
            }

            @Override
            public void remove(String key) throws PluginException {
                SecretStore.this.put(instanceId, key, null);
            }

            @Override
            public Set<String> keys() {
                return SecretStore.this.keys(instanceId);
            }

            @Override
            public String toString() {
                return "Secrets[" + instanceId + ", keys=" + keys() + "]";
            }
        };
    }

    synchronized Optional<String> get(String instanceId, String key) {
        Map<String, String> own = secrets.get(instanceId);
        return Optional.ofNullable(own == null ? null : own.get(key));
    }

    synchronized Set<String> keys(String instanceId) {
        Map<String, String> own = secrets.get(instanceId);
        return own == null ? Set.of() : Set.copyOf(own.keySet());
    }

    /** Stores ({@code value != null}) or removes a secret; durable on return, unchanged in memory on failure. */
    synchronized void put(String instanceId, String key, String value) throws PluginException {
        TreeMap<String, TreeMap<String, String>> next = new TreeMap<>();
        secrets.forEach((id, own) -> next.put(id, new TreeMap<>(own)));
        TreeMap<String, String> own = next.computeIfAbsent(instanceId, id -> new TreeMap<>());
        if (value == null) {
            own.remove(key);
        } else {
            own.put(key, value);
        }
        if (own.isEmpty()) {
            next.remove(instanceId);
        }
        try {
            AtomicFiles.write(file, mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(next), true);
        } catch (IOException e) {
            throw new PluginException("could not write secret '" + key + "' of instance '" + instanceId + "' to "
                    + file + ": " + e.getClass().getSimpleName());
        }
        secrets = next;
    }

    /** Removes every secret of an instance, when the instance is deleted. */
    synchronized void removeInstance(String instanceId) throws PluginException {
        overrides.remove(instanceId);
        for (String key : keys(instanceId)) {
            put(instanceId, key, null);
        }
    }

    /** Remembers (in memory only) the secrets an instance is given by overrides, so that they are masked too. */
    void useOverrides(String instanceId, Map<String, String> values) {
        if (values.isEmpty()) {
            overrides.remove(instanceId);
        } else {
            overrides.put(instanceId, Map.copyOf(values));
        }
    }

    /** Every secret value of every instance, stored or given by an override: what must never be shown. */
    public synchronized Set<String> values() {
        Set<String> values = new HashSet<>();
        secrets.values().forEach(own -> values.addAll(own.values()));
        overrides.values().forEach(own -> values.addAll(own.values()));
        return values;
    }
}
