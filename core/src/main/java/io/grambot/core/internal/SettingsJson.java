package io.grambot.core.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
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

import io.grambot.api.PluginConstants;
import io.grambot.core.internal.SettingsDocument.Entry;
import io.grambot.core.internal.SettingsDocument.Kind;

/**
 * Reads and writes {@code settings.json}:
 *
 * <pre>
 * {
 *   "plugins": [
 *     { "instanceId": "main", "pluginId": "telegram", "enabled": true, "settings": { "polling": true } }
 *   ],
 *   "bots": [
 *     { "botId": "default", "enabled": true, "settings": { "connectors": ["webchat"], "provider": "openai" } }
 *   ],
 *   "engine": { "language": "en" }
 * }
 * </pre>
 *
 * Every section is optional. Reading is strict so that rewriting the file never drops anything the user wrote:
 * unknown or repeated fields, a repeated or invalid instance or bot id, a plugin id that names the bots' factory PID,
 * bookkeeping keys, and values ConfigAdmin cannot hold (null, nested objects, arrays mixing kinds or holding arrays or
 * objects) each reject the whole file with the line and column. Messages name entries and keys, never values.
 */
final class SettingsJson {

    static final String BOTS = Kind.BOT.section;
    static final String ENGINE = "engine";
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

    /** A position in the file. */
    record Position(int line, int column) {
        @Override
        public String toString() {
            return "line " + line + ", column " + column;
        }
    }

    /**
     * Where each entry and each of its settings keys is in the file, for problems found after parsing (a bot's
     * settings checked against the bot declaration).
     */
    static final class Positions {

        static final Positions NONE = new Positions();

        private record Key(Kind kind, String id, String setting) {}

        private final Map<Key, Position> positions = new HashMap<>();

        private void put(Kind kind, String id, String setting, JsonLocation at) {
            positions.put(new Key(kind, id, setting), new Position(at.getLineNr(), at.getColumnNr()));
        }

        /** Where the setting is, else where its entry is; {@code null} when the file does not hold the entry. */
        Position of(Kind kind, String id, String setting) {
            Position key = setting == null ? null : positions.get(new Key(kind, id, setting));
            return key != null ? key : positions.get(new Key(kind, id, null));
        }
    }

    /** A parsed file: its content and where things are in it. */
    record Parsed(SettingsDocument document, Positions positions) {}

    /** Parses the file's content. */
    static SettingsDocument parse(byte[] content) throws InvalidSettingsException {
        return read(content).document();
    }

    /** Parses the file's content, noting where each entry and setting is. */
    static Parsed read(byte[] content) throws InvalidSettingsException {
        try (JsonParser parser = FACTORY.createParser(content)) {
            Reader reader = new Reader(parser);
            return new Parsed(reader.document(), reader.positions);
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
            for (Kind kind : Kind.values()) {
                json.writeArrayFieldStart(kind.section);
                for (Entry entry : document.entries(kind).values()) {
                    json.writeStartObject();
                    json.writeStringField(kind.idField, entry.id());
                    if (entry.pluginId() != null) {
                        json.writeStringField(PLUGIN_ID, entry.pluginId());
                    }
                    json.writeBooleanField(ENABLED, entry.enabled());
                    json.writeFieldName(SETTINGS);
                    writeSettings(json, entry.settings());
                    json.writeEndObject();
                }
                json.writeEndArray();
            }
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
        private final Positions positions = new Positions();

        Reader(JsonParser parser) {
            this.parser = parser;
        }

        SettingsDocument document() throws IOException, InvalidSettingsException {
            JsonToken token = parser.nextToken();
            if (token == null) {
                throw invalid(parser.currentLocation(), "the file is empty; expected an object such as "
                        + "{\"plugins\": [], \"bots\": [], \"engine\": {}}");
            }
            if (token != JsonToken.START_OBJECT) {
                throw invalid("expected an object with \"plugins\", \"bots\" and \"engine\" at the top, found "
                        + found(token));
            }
            Map<Kind, Map<String, Entry>> entries = new EnumMap<>(Kind.class);
            for (Kind kind : Kind.values()) {
                entries.put(kind, new LinkedHashMap<>());
            }
            Map<String, Object> engine = new LinkedHashMap<>();
            Set<String> seen = new HashSet<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonLocation at = parser.currentTokenLocation();
                parser.nextToken();
                Kind kind = Arrays.stream(Kind.values()).filter(k -> k.section.equals(field)).findFirst()
                        .orElse(null);
                if (kind == null && !ENGINE.equals(field)) {
                    throw invalid(at, "unknown top-level field \"" + field
                            + "\"; expected \"plugins\", \"bots\" or \"engine\"");
                }
                if (!seen.add(field)) {
                    throw invalid(at, "\"" + field + "\" appears twice");
                }
                if (kind != null) {
                    entries(kind, entries.get(kind));
                } else {
                    Pending pending = new Pending();
                    engine.putAll(settings(pending, "the engine", null));
                    if (pending.problem != null) {
                        throw invalid(pending.at, pending.problem);
                    }
                }
            }
            if (parser.nextToken() != null) {
                throw invalid("unexpected content after the top-level object");
            }
            return new SettingsDocument(entries.get(Kind.PLUGIN), entries.get(Kind.BOT), engine);
        }

        /** Reads the array of one kind of entries. */
        private void entries(Kind kind, Map<String, Entry> entries) throws IOException, InvalidSettingsException {
            if (parser.currentToken() != JsonToken.START_ARRAY) {
                throw invalid("\"" + kind.section + "\" must be an array of " + kind.noun + "s, found "
                        + found(parser.currentToken()));
            }
            Map<String, JsonLocation> firstSeen = new HashMap<>();
            int index = 0;
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                JsonLocation start = parser.currentTokenLocation();
                String name = kind.section + "[" + index + "]";
                if (parser.currentToken() != JsonToken.START_OBJECT) {
                    throw invalid(name + " must be an object with " + fields(kind) + ", found "
                            + found(parser.currentToken()));
                }
                Item item = item(kind, name);
                if (item.id == null) {
                    throw invalid(start, name + " has no \"" + kind.idField + "\"");
                }
                if (kind == Kind.PLUGIN && item.pluginId == null) {
                    throw invalid(start, kind.describe(item.id) + " has no \"" + PLUGIN_ID + "\"");
                }
                JsonLocation first = firstSeen.putIfAbsent(item.id, item.idAt);
                if (first != null) {
                    throw invalid(item.idAt, kind.noun + " id '" + item.id + "' appears twice (first at line "
                            + first.getLineNr() + "); " + kind.noun + " ids must be unique");
                }
                if (item.problem != null) {
                    throw invalid(item.problemAt, item.problem.replace(OWNER, kind.describe(item.id)));
                }
                entries.put(item.id, new Entry(kind, item.id, item.pluginId, item.enabled, item.settings));
                positions.put(kind, item.id, null, start);
                item.keysAt.forEach((key, at) -> positions.put(kind, item.id, key, at));
                index++;
            }
        }

        private static String fields(Kind kind) {
            return "\"" + kind.idField + "\", " + (kind == Kind.PLUGIN ? "\"" + PLUGIN_ID + "\", " : "")
                    + "\"" + ENABLED + "\" and \"" + SETTINGS + "\"";
        }

        /** Reads one entry object; a problem inside its settings is kept until its id is known. */
        private Item item(Kind kind, String name) throws IOException, InvalidSettingsException {
            Item item = new Item();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonLocation fieldAt = parser.currentTokenLocation();
                JsonToken value = parser.nextToken();
                JsonLocation at = parser.currentTokenLocation();
                if (!item.seen.add(field)) {
                    throw invalid(fieldAt, name + " has \"" + field + "\" twice");
                }
                if (field.equals(kind.idField)) {
                    if (value != JsonToken.VALUE_STRING) {
                        throw invalid(at, name + "." + field + " must be a string, found " + found(value));
                    }
                    try {
                        item.id = InstanceIds.checkId(kind.noun, parser.getText());
                    } catch (IllegalArgumentException e) {
                        throw invalid(at, e.getMessage());
                    }
                    item.idAt = at;
                } else if (field.equals(PLUGIN_ID) && kind == Kind.PLUGIN) {
                    if (value != JsonToken.VALUE_STRING || !PLUGIN_ID_PATTERN.matcher(parser.getText()).matches()) {
                        throw invalid(at, name + ".pluginId must be a plugin id (a letter or digit, "
                                + "then letters, digits, '.', '_' or '-'), found " + found(value));
                    }
                    if (PluginConstants.factoryPid(parser.getText()).equals(BotComponent.FACTORY_PID)) {
                        throw invalid(at, name + ".pluginId names the factory PID of bots ("
                                + BotComponent.FACTORY_PID + "); bots go in \"" + BOTS + "\"");
                    }
                    item.pluginId = parser.getText();
                } else if (field.equals(ENABLED)) {
                    if (value != JsonToken.VALUE_TRUE && value != JsonToken.VALUE_FALSE) {
                        throw invalid(at, name + ".enabled must be true or false, found " + found(value));
                    }
                    item.enabled = value == JsonToken.VALUE_TRUE;
                } else if (field.equals(SETTINGS)) {
                    Pending pending = new Pending();
                    item.settings = settings(pending, OWNER, item.keysAt);
                    item.problem = pending.problem;
                    item.problemAt = pending.at;
                } else {
                    throw invalid(fieldAt, name + " has an unknown field \"" + field + "\"; expected "
                            + fields(kind));
                }
            }
            return item;
        }

        /**
         * Reads a settings object; the first problem is recorded in {@code pending} and reading goes on. Where each
         * key is goes into {@code keysAt}, if given.
         */
        private Map<String, Object> settings(Pending pending, String owner, Map<String, JsonLocation> keysAt)
                throws IOException {
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
                if (keysAt != null) {
                    keysAt.putIfAbsent(key, keyAt);
                }
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

    /** Stands for the entry in a settings problem found before the entry's id is known. */
    private static final String OWNER = "{entry}";

    /** An entry as it is read. */
    private static final class Item {
        final Set<String> seen = new HashSet<>();
        final Map<String, JsonLocation> keysAt = new HashMap<>();
        String id;
        JsonLocation idAt;
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
