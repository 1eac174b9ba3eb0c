package io.grambot.core.internal;

import java.io.IOException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

import org.osgi.framework.Bundle;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;

import io.grambot.api.SettingFormat;

/**
 * The settings a plugin declares once, as a Metatype object class definition (the plugin's configuration
 * {@code @interface}): published as JSON Schema and used to check an instance's settings before it starts.
 *
 * <p>Validation reads the configuration values the way configuration files and the web console give them (typed, or
 * all text, single values or lists), applies the declared defaults to absent keys and checks the result against the
 * JSON Schema with a JSON Schema validator. Keys the plugin does not declare are kept as they are.
 */
final class SettingsSchema {

    static final String DIALECT = "https://json-schema.org/draft/2020-12/schema";

    /** The formats {@link SettingFormat#format()} may name: those the validator asserts. */
    static final Set<String> FORMATS = Set.of("date", "date-time", "time", "duration", "email", "idn-email",
            "hostname", "idn-hostname", "ipv4", "ipv6", "uri", "uri-reference", "iri", "iri-reference",
            "uri-template", "json-pointer", "relative-json-pointer", "regex", "uuid");

    private final String id;
    private final String name;
    private final String description;
    private final List<Setting> settings;
    private final Map<String, Setting> settingsById;
    private final Set<String> secretKeys;
    private final Map<String, Object> jsonSchema;
    private final Schema validator;

    /**
     * A schema from setting definitions.
     *
     * @throws IllegalArgumentException if a definition contradicts itself (a default or option not of its type, a
     *             bound that is not a number, an unknown format, a pattern that is no regular expression)
     */
    SettingsSchema(String id, String name, String description, List<Setting> settings) {
        this.id = id;
        this.name = name == null || name.isBlank() ? id : name;
        this.description = description == null ? "" : description;
        this.settings = List.copyOf(settings);
        Map<String, Setting> byId = new LinkedHashMap<>();
        for (Setting setting : settings) {
            check(setting);
            if (byId.put(setting.id(), setting) != null) {
                throw new IllegalArgumentException("setting '" + setting.id() + "' is declared twice in " + id);
            }
        }
        this.settingsById = Collections.unmodifiableMap(byId);
        this.secretKeys = settings.stream().filter(Setting::secret).map(Setting::id)
                .collect(Collectors.toUnmodifiableSet());
        this.jsonSchema = buildJsonSchema();
        SchemaRegistryConfig config = SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build();
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                builder -> builder.schemaRegistryConfig(config));
        this.validator = registry.getSchema(new ObjectMapper().valueToTree(jsonSchema));
        this.validator.initializeValidators(); // now, not lazily on a first validation racing another
    }

    /**
     * The settings schema of a plugin: the object class definition the bundle designates for the plugin's factory
     * PID, the bounds from its metatype XML, and the {@link SettingFormat formats} on its configuration type.
     *
     * @return the schema, or empty when the bundle designates no object class definition for the factory PID
     * @throws IOException if the bundle's metatype XML cannot be read
     * @throws IllegalArgumentException if the declaration contradicts itself (see the constructor)
     */
    static Optional<SettingsSchema> of(MetaTypeService metaTypes, Bundle bundle, String factoryPid)
            throws IOException {
        MetaTypeInformation information = metaTypes.getMetaTypeInformation(bundle);
        if (information == null || information.getFactoryPids() == null
                || !Arrays.asList(information.getFactoryPids()).contains(factoryPid)) {
            return Optional.empty();
        }
        ObjectClassDefinition ocd = information.getObjectClassDefinition(factoryPid, null);
        if (ocd == null) {
            return Optional.empty();
        }
        Class<?> configType;
        try {
            configType = bundle.loadClass(ocd.getID());
        } catch (ClassNotFoundException | LinkageError e) {
            configType = null; // an OCD written by hand, not generated from a configuration type: no formats
        }
        return Optional.of(of(ocd, MetatypeXml.bounds(bundle, ocd.getID()), configType));
    }

    /**
     * A settings schema from an object class definition, the bounds of its attributes and, if known, the
     * configuration type it was generated from (for {@link SettingFormat}).
     */
    static SettingsSchema of(ObjectClassDefinition ocd, Map<String, MetatypeXml.Bounds> bounds, Class<?> configType) {
        Set<String> required = ids(ocd.getAttributeDefinitions(ObjectClassDefinition.REQUIRED));
        Map<String, Method> methods = configType == null ? Map.of() : ConfigNames.methodsByProperty(configType);
        List<Setting> settings = new ArrayList<>();
        AttributeDefinition[] all = ocd.getAttributeDefinitions(ObjectClassDefinition.ALL);
        for (AttributeDefinition ad : all == null ? new AttributeDefinition[0] : all) {
            MetatypeXml.Bounds bound = bounds.getOrDefault(ad.getID(), new MetatypeXml.Bounds(null, null));
            Method method = methods.get(ad.getID());
            SettingFormat format = method == null ? null : method.getAnnotation(SettingFormat.class);
            settings.add(new Setting(ad.getID(), ad.getName(), ad.getDescription(), Setting.Type.of(ad.getType()),
                    ad.getCardinality(), defaults(ad),
                    required.contains(ad.getID()), options(ad), bound.min(), bound.max(),
                    format == null || format.format().isBlank() ? null : format.format().trim(),
                    format == null || format.pattern().isEmpty() ? null : format.pattern()));
        }
        return new SettingsSchema(ocd.getID(), ocd.getName(), ocd.getDescription(), settings);
    }

    /** The object class definition's id: for bnd-generated metatype, the configuration type's binary name. */
    String id() {
        return id;
    }

    String name() {
        return name;
    }

    String description() {
        return description;
    }

    /** The declared settings, in declaration order. */
    List<Setting> settings() {
        return settings;
    }

    /** The declared setting keys, in declaration order. */
    Set<String> keys() {
        return settingsById.keySet();
    }

    /** The keys of settings declared as secrets (Metatype PASSWORD): their values belong in the secrets store. */
    Set<String> secretKeys() {
        return secretKeys;
    }

    /**
     * The settings as a JSON Schema (draft 2020-12) object schema: an immutable JSON-like map (maps, lists, text,
     * numbers, booleans) that Jackson writes as is. Secrets are {@code "writeOnly": true, "format": "password"};
     * option labels are {@code oneOf} entries of {@code const} and {@code title}.
     */
    Map<String, Object> jsonSchema() {
        return jsonSchema;
    }

    /**
     * Checks an instance's configuration and returns the settings the instance would get, or what is wrong.
     *
     * @param pluginId the plugin, for messages
     * @param instanceId the instance, for messages
     * @param raw the configuration values (typed or text; arrays or collections for several values)
     */
    Validation validate(String pluginId, String instanceId, Map<String, ?> raw) {
        return validate("instance '" + instanceId + "' of plugin '" + pluginId + "'", raw);
    }

    /**
     * Checks a configuration as {@link #validate(String, String, Map)} does; messages start with {@code owner}, such
     * as {@code bot 'default'}.
     */
    Validation validate(String owner, Map<String, ?> raw) {
        ObjectNode document = JsonNodeFactory.instance.objectNode();
        for (Setting setting : settings) {
            JsonNode value = setting.toJson(raw.get(setting.id()));
            if (value == null) {
                value = setting.defaultValue();
            }
            if (value != null) {
                document.set(setting.id(), value);
            }
        }
        List<Error> errors = validator.validate(document);
        if (!errors.isEmpty()) {
            return Validation.invalid(
                    new SettingsProblems(owner, settingsById).describe(errors), secretKeys);
        }
        Map<String, Object> valid = new LinkedHashMap<>();
        raw.forEach((key, value) -> {
            if (!settingsById.containsKey(key) && value != null) {
                valid.put(key, value);
            }
        });
        document.properties().forEach(field -> valid.put(field.getKey(),
                settingsById.get(field.getKey()).toJava(field.getValue())));
        return Validation.valid(valid, secretKeys);
    }

    @Override
    public String toString() {
        return "SettingsSchema[" + id + ", keys=" + keys() + "]";
    }

    private Map<String, Object> buildJsonSchema() {
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("$schema", DIALECT);
        schema.put("title", name);
        if (!description.isEmpty()) {
            schema.put("description", description);
        }
        schema.put("type", "object");
        Map<String, Object> properties = new LinkedHashMap<>();
        List<String> required = new ArrayList<>();
        for (Setting setting : settings) {
            properties.put(setting.id(), setting.jsonSchema());
            if (setting.required() && setting.defaults().isEmpty()) {
                required.add(setting.id());
            }
        }
        schema.put("properties", properties);
        if (!required.isEmpty()) {
            schema.put("required", required);
        }
        return immutable(schema);
    }

    private void check(Setting setting) {
        if (setting.format() != null && !FORMATS.contains(setting.format())) {
            throw new IllegalArgumentException("setting '" + setting.id() + "' of " + id + " declares format '"
                    + setting.format() + "', which is not one of " + new TreeSet<>(FORMATS));
        }
        if (setting.pattern() != null) {
            try {
                Pattern.compile(setting.pattern());
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("setting '" + setting.id() + "' of " + id + " declares pattern '"
                        + setting.pattern() + "', which is not a regular expression: " + e.getDescription());
            }
        }
        try {
            setting.defaultValue();
            setting.jsonSchema(); // checks bounds and options
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " (in " + id + ")", e);
        }
    }

    private static Set<String> ids(AttributeDefinition[] definitions) {
        Set<String> ids = new LinkedHashSet<>();
        if (definitions != null) {
            for (AttributeDefinition definition : definitions) {
                ids.add(definition.getID());
            }
        }
        return ids;
    }

    private static List<String> defaults(AttributeDefinition ad) {
        String[] defaults = ad.getDefaultValue();
        return defaults == null ? List.of() : Arrays.stream(defaults).filter(Objects::nonNull).toList();
    }

    private static List<Setting.Option> options(AttributeDefinition ad) {
        String[] values = ad.getOptionValues();
        if (values == null) {
            return List.of();
        }
        String[] labels = ad.getOptionLabels();
        List<Setting.Option> options = new ArrayList<>(values.length);
        for (int i = 0; i < values.length; i++) {
            String label = labels != null && i < labels.length && labels[i] != null ? labels[i] : values[i];
            options.add(new Setting.Option(label, values[i]));
        }
        return options;
    }

    @SuppressWarnings("unchecked")
    private static <T> T immutable(T value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put((String) k, immutable(v)));
            return (T) Collections.unmodifiableMap(copy);
        }
        if (value instanceof List<?> list) {
            return (T) list.stream().map(SettingsSchema::immutable).toList();
        }
        return value;
    }
}
