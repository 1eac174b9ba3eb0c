package io.grambot.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Hostile answers built from a valid one: a node replaced by a value of another type, a field removed, the text cut
 * short, nested thousands deep, a string made megabytes long, garbage bytes, invalid UTF-8. Mutations keep close to
 * the shape a parser expects, so they reach past its first check.
 */
public final class Hostile {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Hostile() {}

    /** A body: bytes and what they are, for the fake server; {@code cut} answers fewer bytes than announced. */
    public record Body(byte[] bytes, String kind, boolean cut) {
        public static Body of(String text, String kind) {
            return new Body(text.getBytes(StandardCharsets.UTF_8), kind, false);
        }

        @Override
        public String toString() {
            String text = new String(bytes, 0, Math.min(bytes.length, 300), StandardCharsets.UTF_8);
            return kind + " (" + bytes.length + " bytes" + (cut ? ", cut" : "") + "): " + text;
        }
    }

    /** Hostile variations of the valid JSON answers given. */
    public static Arbitrary<Body> json(String... valid) {
        Arbitrary<String> sample = Arbitraries.of(valid);
        Arbitrary<Long> seeds = Arbitraries.longs();
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(10, Combinators.combine(sample, seeds, Arbitraries.integers().between(1, 4))
                        .as((s, seed, n) -> Body.of(mutate(s, new Random(seed), n), "mutated"))),
                net.jqwik.api.Tuple.of(3, Combinators.combine(sample, Arbitraries.doubles().between(0, 1))
                        .as((s, at) -> Body.of(s.substring(0, (int) (s.length() * at)), "truncated"))),
                net.jqwik.api.Tuple.of(2, Combinators.combine(sample, Arbitraries.doubles().between(0, 1))
                        .as((s, at) -> { byte[] b = s.getBytes(StandardCharsets.UTF_8);
                            return new Body(java.util.Arrays.copyOf(b, (int) (b.length * at)), "cut stream", true); })),
                net.jqwik.api.Tuple.of(2, Combinators.combine(sample, Arbitraries.integers().between(100, 50_000),
                        Arbitraries.of("[", "{\"a\":", "{\"content\":[")).as((s, depth, open) -> Body.of(
                                open.repeat(depth) + s + close(open).repeat(depth), "nested " + depth))),
                net.jqwik.api.Tuple.of(1, Combinators.combine(sample, seeds, Arbitraries.integers().between(1, 4))
                        .as((s, seed, mb) -> Body.of(huge(s, new Random(seed), mb), "huge " + mb + " MB"))),
                net.jqwik.api.Tuple.of(2, Arbitraries.strings().ofMaxLength(200).map(t -> Body.of(t, "text"))),
                net.jqwik.api.Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(300)
                        .map(b -> new Body(b, "bytes", false))),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("", "null", "[]", "{}", "0", "\"\"", "true", "{\"error\":null}",
                        "\uFEFF{}", "{\"a\":1}{\"b\":2}", "{\"a\":NaN}", "{'a':1}", "[1,]").map(t -> Body.of(t, "edge"))));
    }

    private static String close(String open) {
        return switch (open) {
            case "[" -> "]";
            case "{\"a\":" -> "}";
            default -> "]}";
        };
    }

    /** The valid text with n nodes replaced, removed or wrapped. */
    static String mutate(String valid, Random random, int n) {
        try {
            JsonNode root = MAPPER.readTree(valid);
            for (int i = 0; i < n; i++) {
                root = mutateOne(root, random);
            }
            return MAPPER.writeValueAsString(root);
        } catch (Exception e) {
            throw new IllegalArgumentException("the sample is not JSON: " + valid, e);
        }
    }

    private static JsonNode mutateOne(JsonNode root, Random random) {
        List<JsonNode> containers = new ArrayList<>();
        collect(root, containers);
        if (containers.isEmpty()) {
            return randomValue(random, 2);
        }
        JsonNode parent = containers.get(random.nextInt(containers.size()));
        if (parent instanceof ObjectNode object && object.size() > 0) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            String name = names.get(random.nextInt(names.size()));
            switch (random.nextInt(4)) {
                case 0 -> object.remove(name);
                case 1 -> object.set(name, NODES.arrayNode().add(object.get(name)));
                default -> object.set(name, randomValue(random, 2));
            }
        } else if (parent instanceof ArrayNode array && array.size() > 0) {
            int index = random.nextInt(array.size());
            switch (random.nextInt(3)) {
                case 0 -> array.remove(index);
                default -> array.set(index, randomValue(random, 2));
            }
        } else if (parent instanceof ObjectNode object) {
            object.set("x", randomValue(random, 1));
        } else {
            ((ArrayNode) parent).add(randomValue(random, 1));
        }
        return root;
    }

    private static void collect(JsonNode node, List<JsonNode> into) {
        if (node.isContainerNode()) {
            into.add(node);
            for (Iterator<JsonNode> children = node.elements(); children.hasNext();) {
                collect(children.next(), into);
            }
        }
    }

    private static JsonNode randomValue(Random random, int depth) {
        switch (random.nextInt(depth > 0 ? 11 : 9)) {
            case 0: return NODES.nullNode();
            case 1: return NODES.booleanNode(random.nextBoolean());
            case 2: return NODES.numberNode(random.nextInt());
            case 3: return NODES.numberNode(random.nextDouble() * 1e300);
            case 4: return NODES.numberNode(Long.MIN_VALUE);
            case 5: return NODES.textNode("");
            case 6: return NODES.textNode("\u0000\uD800<script>\"\\" + random.nextInt());
            case 7: return NODES.textNode("data:;base64,@@@" + random.nextInt());
            case 8: return NODES.numberNode(-1);
            case 9: {
                ArrayNode array = NODES.arrayNode();
                for (int i = random.nextInt(3); i > 0; i--) {
                    array.add(randomValue(random, depth - 1));
                }
                return array;
            }
            default: {
                ObjectNode object = NODES.objectNode();
                for (int i = random.nextInt(3); i > 0; i--) {
                    object.set(List.of("type", "text", "id", "data", "b64_json", "error", "content").get(random.nextInt(7)),
                            randomValue(random, depth - 1));
                }
                return object;
            }
        }
    }

    private static String huge(String valid, Random random, int megabytes) {
        try {
            JsonNode root = MAPPER.readTree(valid);
            List<JsonNode> containers = new ArrayList<>();
            collect(root, containers);
            String big = "x".repeat(megabytes * 1024 * 1024);
            for (JsonNode node : containers) {
                if (node instanceof ObjectNode object) {
                    for (Map.Entry<String, JsonNode> field : (Iterable<Map.Entry<String, JsonNode>>) object::fields) {
                        if (field.getValue().isTextual() && random.nextBoolean()) {
                            object.put(field.getKey(), big);
                            return MAPPER.writeValueAsString(root);
                        }
                    }
                }
            }
            return MAPPER.writeValueAsString(NODES.objectNode().put("text", big));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Server-sent events carrying hostile data, some cut short. */
    public static Arbitrary<Body> events(String... validEvents) {
        Arbitrary<String> one = Arbitraries.oneOf(json(validEvents).map(b -> new String(b.bytes(),
                StandardCharsets.UTF_8).replace("\n", " ")), Arbitraries.of(validEvents));
        Arbitrary<String> event = Combinators.combine(Arbitraries.of("", "event: message_start\n",
                "event: content_block_delta\n", "event: error\n", "event: \n", "id: 1\n", "retry: x\n"), one)
                .as((head, data) -> head + "data: " + data + "\n\n");
        return Combinators.combine(event.list().ofMaxSize(8), Arbitraries.of("", "data: [DONE]\n\n", "data: {\"ty"),
                Arbitraries.integers().between(0, 3)).as((list, end, cut) -> {
                    String text = String.join("", list) + end;
                    return new Body(text.getBytes(StandardCharsets.UTF_8), "events", cut == 0);
                });
    }
}
