package io.grambot.core.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;

/**
 * Reads and writes {@code settings.json}:
 *
 * <pre>
 * {
 *   "plugins": [
 *     { "instanceId": "main", "pluginId": "telegram", "enabled": true, "settings": { "polling": true } }
 *   ],
 *   "engine": { "language": "en" }
 * }
 * </pre>
 *
 * Reading is strict so that rewriting the file never drops anything the user wrote: unknown or repeated fields, a
 * repeated instance id, an invalid instance id, bookkeeping keys, and values ConfigAdmin cannot hold (null, nested
 * objects, arrays mixing kinds or holding arrays or objects) each reject the whole file with the line and column.
 * Messages name instances and keys, never values.
 */
final class SettingsJson {

    static final String PLUGINS = "plugins";
    static final String ENGINE = "engine";
    static final String INSTANCE_ID = "instanceId";
    static final String PLUGIN_ID = "pluginId";
    static final String ENABLED = "enabled";
    static final String SETTINGS = "settings";

    // plugin ids become factory PIDs: keep them to what a PID and a file name can carry
    private static final Pattern PLUGIN_ID_PATTERN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    // in the parser's messages: a character it stumbled on, or quoted text (which may be file content)
    private static final Pattern QUOTED = Pattern.compile("\\('.' \\(code \\d+\\)\\)|'[^'\\n]*'|\"[^\"\\n]*\"");
    private static final Set<String> PARSER_WORDS = Set.of("'null'", "'true'", "'false'");
    private static final Pattern SOURCE = Pattern.compile("\\s*(\\((for \\w+ starting|start marker)\\s*)?at \\[Source:.*",
            Pattern.DOTALL);

    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private SettingsJson() {}

    /** A file that cannot be reconciled, with where the problem is. */
    static final class InvalidSettingsException extends Exception {

        private static final long serialVersionUID = 1L;

        private final int line;
        private final int column;

        InvalidSettingsException(int line, int column, String problem) {
            super("line " + line + ", column " + column + ": " + problem);
            this.line = line;
            this.column = column;
        }

        int line() {
            return line;
        }

        int column() {
            return column;
        }
    }

    /** Parses the file's content. */
    static SettingsDocument parse(byte[] content) throws InvalidSettingsException {
        try (JsonParser parser = FACTORY.createParser(content)) {
            return new Reader(parser).document();
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new InvalidSettingsException(at == null ? 0 : at.getLineNr(), at == null ? 0 : at.getColumnNr(),
                    "not valid JSON: " + describe(e));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // reading a byte array does not fail
        }
    }

    // the parser's own message may quote file content, which may be a secret: keep its gist, drop quoted text
    private static String describe(JsonProcessingException e) {
        String message = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
        message = SOURCE.matcher(message).replaceAll("");
        message = QUOTED.matcher(message).replaceAll(quoted -> {
            String text = quoted.group();
            boolean harmless = text.startsWith("(") || text.length() <= 3 || PARSER_WORDS.contains(text);
            return Matcher.quoteReplacement(harmless ? text : "'…'");
        });
        return message.lines().findFirst().orElse("").strip();
    }

    /** The file's content for a document: two-space indentation, one field a line, a final newline. */
    static byte[] write(SettingsDocument document) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withSeparators(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                .withObjectIndenter(indenter);
        printer.indentArraysWith(indenter);
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            json.setPrettyPrinter(printer);
            json.writeStartObject();
            json.writeArrayFieldStart(PLUGINS);
            for (SettingsDocument.Instance instance : document.plugins().values()) {
                json.writeStartObject();
                json.writeStringField(INSTANCE_ID, instance.instanceId());
                json.writeStringField(PLUGIN_ID, instance.pluginId());
                json.writeBooleanField(ENABLED, instance.enabled());
                json.writeFieldName(SETTINGS);
                writeSettings(json, instance.settings());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeFieldName(ENGINE);
            writeSettings(json, document.engine());
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // writing to memory does not fail
        }
        out.write('\n');
        return out.toByteArray();
    }

    private static void writeSettings(JsonGenerator json, Map<String, Object> settings) throws IOException {
        json.writeStartObject();
        for (Map.Entry<String, Object> entry : settings.entrySet()) {
            json.writeFieldName(entry.getKey());
            if (entry.getValue() instanceof List<?> list) {
                json.writeStartArray();
                for (Object element : list) {
                    writeScalar(json, element);
                }
                json.writeEndArray();
            } else {
                writeScalar(json, entry.getValue());
            }
        }
        json.writeEndObject();
    }

    private static void writeScalar(JsonGenerator json, Object value) throws IOException {
        if (value instanceof Long l) {
            json.writeNumber(l);
        } else if (value instanceof Double d) {
            json.writeNumber(d);
        } else if (value instanceof Boolean b) {
            json.writeBoolean(b);
        } else {
            json.writeString(String.valueOf(value));
        }
    }

    /** One pass over the tokens, checking the structure as it goes. */
    private static final class Reader {

        private final JsonParser parser;

        Reader(JsonParser parser) {
            this.parser = parser;
        }

        SettingsDocument document() throws IOException, InvalidSettingsException {
            JsonToken token = parser.nextToken();
            if (token == null) {
                throw invalid(parser.currentLocation(),
                        "the file is empty; expected an object such as {\"plugins\": [], \"engine\": {}}");
            }
            if (token != JsonToken.START_OBJECT) {
                throw invalid("expected an object with \"plugins\" and \"engine\" at the top, found " + found(token));
            }
            Map<String, SettingsDocument.Instance> plugins = new LinkedHashMap<>();
            Map<String, Object> engine = new LinkedHashMap<>();
            boolean seenPlugins = false;
            boolean seenEngine = false;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonLocation at = parser.currentTokenLocation();
                parser.nextToken();
                if (PLUGINS.equals(field) && !seenPlugins) {
                    seenPlugins = true;
                    plugins(plugins);
                } else if (ENGINE.equals(field) && !seenEngine) {
                    seenEngine = true;
                    Pending pending = new Pending();
                    engine.putAll(settings(pending, "the engine"));
                    if (pending.problem != null) {
                        throw invalid(pending.at, pending.problem);
                    }
                } else if (PLUGINS.equals(field) || ENGINE.equals(field)) {
                    throw invalid(at, "\"" + field + "\" appears twice");
                } else {
                    throw invalid(at, "unknown top-level field \"" + field + "\"; expected \"plugins\" or \"engine\"");
                }
            }
            if (parser.nextToken() != null) {
                throw invalid("unexpected content after the top-level object");
            }
            return new SettingsDocument(plugins, engine);
        }

        private void plugins(Map<String, SettingsDocument.Instance> plugins)
                throws IOException, InvalidSettingsException {
            if (parser.currentToken() != JsonToken.START_ARRAY) {
                throw invalid("\"plugins\" must be an array of instances, found " + found(parser.currentToken()));
            }
            Map<String, JsonLocation> firstSeen = new HashMap<>();
            int index = 0;
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                JsonLocation start = parser.currentTokenLocation();
                if (parser.currentToken() != JsonToken.START_OBJECT) {
                    throw invalid("plugins[" + index + "] must be an object with \"instanceId\", \"pluginId\", "
                            + "\"enabled\" and \"settings\", found " + found(parser.currentToken()));
                }
                Entry entry = entry(index);
                if (entry.instanceId == null) {
                    throw invalid(start, "plugins[" + index + "] has no \"instanceId\"");
                }
                if (entry.pluginId == null) {
                    throw invalid(start, "instance '" + entry.instanceId + "' has no \"pluginId\"");
                }
                JsonLocation first = firstSeen.putIfAbsent(entry.instanceId, entry.instanceIdAt);
                if (first != null) {
                    throw invalid(entry.instanceIdAt, "instance id '" + entry.instanceId
                            + "' appears twice (first at line " + first.getLineNr() + "); instance ids must be unique");
                }
                if (entry.problem != null) {
                    throw invalid(entry.problemAt, entry.problem.replace("{instance}",
                            "instance '" + entry.instanceId + "'"));
                }
                plugins.put(entry.instanceId, new SettingsDocument.Instance(entry.instanceId, entry.pluginId,
                        entry.enabled, entry.settings));
                index++;
            }
        }

        /** Reads one instance object; a problem inside its settings is kept until the instance id is known. */
        private Entry entry(int index) throws IOException, InvalidSettingsException {
            Entry entry = new Entry();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonLocation fieldAt = parser.currentTokenLocation();
                JsonToken value = parser.nextToken();
                JsonLocation at = parser.currentTokenLocation();
                if (!entry.seen.add(field)) {
                    throw invalid(fieldAt, "plugins[" + index + "] has \"" + field + "\" twice");
                }
                switch (field) {
                    case INSTANCE_ID -> {
                        if (value != JsonToken.VALUE_STRING) {
                            throw invalid(at, "plugins[" + index + "].instanceId must be a string, found " + found(value));
                        }
                        try {
                            entry.instanceId = InstanceIds.checkInstanceId(parser.getText());
                        } catch (IllegalArgumentException e) {
                            throw invalid(at, e.getMessage());
                        }
                        entry.instanceIdAt = at;
                    }
                    case PLUGIN_ID -> {
                        if (value != JsonToken.VALUE_STRING || !PLUGIN_ID_PATTERN.matcher(parser.getText()).matches()) {
                            throw invalid(at, "plugins[" + index + "].pluginId must be a plugin id (a letter or digit, "
                                    + "then letters, digits, '.', '_' or '-'), found " + found(value));
                        }
                        entry.pluginId = parser.getText();
                    }
                    case ENABLED -> {
                        if (value != JsonToken.VALUE_TRUE && value != JsonToken.VALUE_FALSE) {
                            throw invalid(at, "plugins[" + index + "].enabled must be true or false, found "
                                    + found(value));
                        }
                        entry.enabled = value == JsonToken.VALUE_TRUE;
                    }
                    case SETTINGS -> {
                        Pending pending = new Pending();
                        entry.settings = settings(pending, "{instance}");
                        entry.problem = pending.problem;
                        entry.problemAt = pending.at;
                    }
                    default -> throw invalid(fieldAt, "plugins[" + index + "] has an unknown field \"" + field
                            + "\"; expected \"instanceId\", \"pluginId\", \"enabled\" and \"settings\"");
                }
            }
            return entry;
        }

        /** Reads a settings object; the first problem is recorded in {@code pending} and reading goes on. */
        private Map<String, Object> settings(Pending pending, String owner) throws IOException {
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                pending.record(parser.currentTokenLocation(), "the settings of " + owner
                        + " must be an object, found " + found(parser.currentToken()));
                parser.skipChildren();
                return Map.of();
            }
            Map<String, Object> settings = new LinkedHashMap<>();
            Map<String, String> lowerCase = new HashMap<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String key = parser.currentName();
                JsonLocation keyAt = parser.currentTokenLocation();
                JsonToken token = parser.nextToken();
                String other = lowerCase.putIfAbsent(key.toLowerCase(Locale.ROOT), key);
                String subject = "setting '" + key + "' of " + owner;
                if (other != null) {
                    pending.record(keyAt, subject + (other.equals(key) ? " appears twice"
                            : " clashes with '" + other + "': ConfigAdmin keys ignore case"));
                } else if (SettingValues.isBookkeeping(key)) {
                    pending.record(keyAt, subject + " is reserved (service.*, felix.*, component.*, grambot.*, "
                            + "*.target and enabled are not settings; \"enabled\" goes beside \"settings\")");
                }
                Object value = value(token, pending, subject);
                if (value != null) {
                    settings.put(key, value);
                }
            }
            return settings;
        }

        private Object value(JsonToken token, Pending pending, String subject) throws IOException {
            JsonLocation at = parser.currentTokenLocation();
            if (token == JsonToken.START_ARRAY) {
                List<Object> list = new ArrayList<>();
                String kind = null;
                while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
                    Object element = scalar(token, pending, subject + " holds an array with ");
                    if (element == null) {
                        continue;
                    }
                    String elementKind = SettingValues.kind(element);
                    if (kind != null && !kind.equals(elementKind)) {
                        pending.record(at, subject + " is an array mixing " + kind + "s and " + elementKind
                                + "s; expected an array of strings, of numbers or of booleans");
                    }
                    kind = elementKind;
                    list.add(element);
                }
                return List.copyOf(list);
            }
            return scalar(token, pending, subject + " is ");
        }

        private Object scalar(JsonToken token, Pending pending, String prefix) throws IOException {
            JsonLocation at = parser.currentTokenLocation();
            switch (token) {
                case VALUE_STRING:
                    return parser.getText();
                case VALUE_TRUE:
                case VALUE_FALSE:
                    return token == JsonToken.VALUE_TRUE;
                case VALUE_NUMBER_INT:
                    if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                        pending.record(at, prefix + "an integer out of range; expected at most 19 digits");
                        return null;
                    }
                    return parser.getLongValue();
                case VALUE_NUMBER_FLOAT:
                    return parser.getDoubleValue();
                case VALUE_NULL:
                    pending.record(at, prefix + "null; remove the key to drop a setting");
                    return null;
                default:
                    pending.record(at, prefix + (token == JsonToken.START_OBJECT ? "a nested object"
                            : "a nested array") + "; expected a string, number, boolean or an array of one of these");
                    parser.skipChildren();
                    return null;
            }
        }

        private InvalidSettingsException invalid(String problem) {
            return invalid(parser.currentTokenLocation(), problem);
        }

        private static InvalidSettingsException invalid(JsonLocation at, String problem) {
            return new InvalidSettingsException(at.getLineNr(), at.getColumnNr(), problem);
        }

        private static String found(JsonToken token) {
            if (token == null) {
                return "the end of the file";
            }
            return switch (token) {
                case START_OBJECT -> "an object";
                case START_ARRAY -> "an array";
                case VALUE_STRING -> "a string";
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
                case VALUE_TRUE, VALUE_FALSE -> "a boolean";
                case VALUE_NULL -> "null";
                default -> token.toString();
            };
        }
    }

    private static final class Entry {
        final Set<String> seen = new HashSet<>();
        String instanceId;
        JsonLocation instanceIdAt;
        String pluginId;
        boolean enabled = true;
        Map<String, Object> settings = Map.of();
        String problem;
        JsonLocation problemAt;
    }

    private static final class Pending {
        String problem;
        JsonLocation at;

        void record(JsonLocation location, String message) {
            if (problem == null) {
                problem = message;
                at = location;
            }
        }
    }
}
