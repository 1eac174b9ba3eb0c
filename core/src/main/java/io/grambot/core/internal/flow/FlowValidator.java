package io.grambot.core.internal.flow;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.grambot.core.internal.flow.FlowDefinition.Edge;
import io.grambot.core.internal.flow.FlowDefinition.Node;

/**
 * Checks a flow definition (JSON) and builds the {@link FlowDefinition} when it passes. Every problem is reported,
 * not just the first, each naming the node (or edge) and the field: {@code node 'notify': field 'connector' is
 * missing}. A definition that is not JSON gets one problem with the line and column.
 */
public final class FlowValidator {

    /** Node ids appear in placeholders, edges and run records: keep them to a plain word. */
    static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Set<String> DEFINITION_FIELDS = Set.of("nodes", "edges");
    private static final Set<String> NODE_FIELDS = Set.of("id", "kind", "config");
    private static final Set<String> EDGE_FIELDS = Set.of("from", "to", "when");

    /**
     * The outcome of a check.
     *
     * @param definition the flow, or {@code null} when there are problems
     * @param problems what is wrong, in the order found; empty when the definition is valid
     */
    public record Result(FlowDefinition definition, List<String> problems) {
        public Result {
            problems = List.copyOf(problems);
        }

        public boolean valid() {
            return problems.isEmpty();
        }
    }

    private final List<String> problems = new ArrayList<>();
    /** Every well-formed node id, also of nodes left out for other problems (edges to them are not reported). */
    private final Set<String> declared = new HashSet<>();

    private FlowValidator() {}

    public static Result validate(String json) {
        return new FlowValidator().check(json);
    }

    private Result check(String json) {
        if (json == null || json.isBlank()) {
            return invalid("definition: field 'definition' is empty; it holds the flow as JSON with 'nodes' and"
                    + " 'edges'");
        }
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            return invalid("definition: not valid JSON" + where + ": " + e.getOriginalMessage().lines().findFirst()
                    .orElse(""));
        }
        if (!root.isObject()) {
            return invalid("definition: must be a JSON object with 'nodes' and 'edges', found " + describe(root));
        }
        unknownFields("definition", root, DEFINITION_FIELDS, "a definition has nodes and edges");
        JsonNode nodesJson = root.get("nodes");
        if (nodesJson == null || nodesJson.isNull()) {
            return invalid("definition: field 'nodes' is missing");
        }
        if (!nodesJson.isArray()) {
            return invalid("definition: field 'nodes' must be a list of nodes, found " + describe(nodesJson));
        }

        Map<String, Node> nodes = nodes(nodesJson);
        triggers(nodes);
        List<Edge> edges = edges(root.get("edges"), nodes);
        Graph graph = new Graph(nodes.keySet(), edges);
        cycles(graph);
        reachability(graph, nodes);
        placeholders(graph, nodes);
        if (!problems.isEmpty()) {
            return new Result(null, problems);
        }
        return new Result(new FlowDefinition(List.copyOf(nodes.values()), edges), List.of());
    }

    private Result invalid(String problem) {
        problems.add(problem);
        return new Result(null, problems);
    }

    // --- nodes

    /** The nodes whose id and kind are usable, by id in definition order (a duplicate id keeps the first). */
    private Map<String, Node> nodes(JsonNode nodesJson) {
        Map<String, Node> nodes = new LinkedHashMap<>();
        Map<String, Integer> firstIndex = new HashMap<>();
        for (int i = 0; i < nodesJson.size(); i++) {
            JsonNode json = nodesJson.get(i);
            String position = "nodes[" + i + "]";
            if (!json.isObject()) {
                problems.add(position + " must be an object with 'id', 'kind' and 'config', found " + describe(json));
                continue;
            }
            JsonNode idJson = json.get("id");
            String id = null;
            if (idJson == null || idJson.isNull()) {
                problems.add(position + ": field 'id' is missing");
            } else if (!idJson.isTextual() || idJson.asText().isEmpty()) {
                problems.add(position + ": field 'id' must be a non-empty text, found " + describe(idJson));
            } else if (!NODE_ID.matcher(idJson.asText()).matches()) {
                problems.add("node '" + idJson.asText() + "': field 'id' may contain only letters, digits, '_' and"
                        + " '-' (at most 64)");
            } else {
                id = idJson.asText();
                declared.add(id);
            }
            String label = id != null ? "node '" + id + "'" : position;
            if (id != null && firstIndex.containsKey(id)) {
                problems.add(label + ": field 'id': nodes[" + firstIndex.get(id) + "] and " + position
                        + " have the same id; ids must be unique");
                id = null;
            } else if (id != null) {
                firstIndex.put(id, i);
            }
            unknownFields(label, json, NODE_FIELDS, "a node has id, kind and config");
            NodeKind kind = kind(label, json.get("kind"));
            JsonNode configJson = json.get("config");
            Map<String, Object> config = Map.of();
            if (configJson != null && !configJson.isNull() && !configJson.isObject()) {
                problems.add(label + ": field 'config' must be an object, found " + describe(configJson));
                configJson = null;
            } else if (configJson != null && configJson.isObject()) {
                config = JSON.convertValue(configJson, JSON.getTypeFactory().constructMapType(LinkedHashMap.class,
                        String.class, Object.class));
            }
            if (kind != null) {
                new ConfigCheck(label, kind, config).run();
            }
            if (id != null && kind != null) {
                nodes.put(id, new Node(id, kind, config));
            }
        }
        return nodes;
    }

    private NodeKind kind(String label, JsonNode kindJson) {
        if (kindJson == null || kindJson.isNull()) {
            problems.add(label + ": field 'kind' is missing");
            return null;
        }
        NodeKind kind = kindJson.isTextual() ? NodeKind.of(kindJson.asText()).orElse(null) : null;
        if (kind == null) {
            problems.add(label + ": field 'kind': unknown kind " + (kindJson.isTextual() ? "'" + kindJson.asText()
                    + "'" : describe(kindJson)) + "; the kinds are " + NodeKind.names());
        }
        return kind;
    }

    private void triggers(Map<String, Node> nodes) {
        List<String> triggers = nodes.values().stream().filter(n -> n.kind() == NodeKind.TRIGGER).map(Node::id)
                .toList();
        if (triggers.isEmpty()) {
            problems.add("definition: field 'nodes': a flow needs exactly one node of kind 'trigger', found none");
        }
        for (String extra : triggers.subList(Math.min(1, triggers.size()), triggers.size())) {
            problems.add("node '" + extra + "': field 'kind': a flow has exactly one trigger node, and '"
                    + triggers.get(0) + "' is one already");
        }
    }

    /** The config rules of one node. */
    private final class ConfigCheck {
        private final String label;
        private final NodeKind kind;
        private final Map<String, Object> config;

        ConfigCheck(String label, NodeKind kind, Map<String, Object> config) {
            this.label = label;
            this.kind = kind;
            this.config = config;
        }

        void run() {
            for (String field : config.keySet()) {
                if (!kind.fields().contains(field)) {
                    problems.add(label + ": field '" + field + "' is not a field of a " + kind.jsonName()
                            + " node (" + String.join(", ", kind.fields()) + ")");
                }
            }
            for (String field : kind.required()) {
                if (!config.containsKey(field)) {
                    problems.add(label + ": field '" + field + "' is missing");
                }
            }
            switch (kind) {
                case TRIGGER -> trigger();
                case CONDITION -> condition();
                case PLUGIN_ACTION -> pluginAction();
                case INFERENCE -> inference();
                case SEND_MESSAGE -> sendMessage();
            }
        }

        private void trigger() {
            boolean instance = config.containsKey("instance");
            boolean trigger = config.containsKey("trigger");
            if (instance != trigger) {
                // both name what fires the flow; neither makes a flow that is only started by hand
                problems.add(label + ": field '" + (instance ? "trigger" : "instance") + "' is missing");
            }
            text("instance", true);
            text("trigger", true);
        }

        private void condition() {
            Object op = config.get("op");
            ConditionOp parsed = op instanceof String name ? ConditionOp.of(name).orElse(null) : null;
            if (op != null && parsed == null) {
                problems.add(label + ": field 'op': unknown operator " + (op instanceof String name ? "'" + name
                        + "'" : Templates.describe(op)) + "; the operators are " + ConditionOp.names());
            }
            if (parsed != null && parsed.binary() && !config.containsKey("right")) {
                problems.add(label + ": field 'right' is missing; '" + parsed.jsonName() + "' compares 'left' with"
                        + " it");
            }
            if (parsed != null && !parsed.binary() && config.containsKey("right")) {
                problems.add(label + ": field 'right' is not used by '" + parsed.jsonName()
                        + "', which looks at 'left' only");
            }
        }

        private void pluginAction() {
            boolean instance = config.containsKey("instance");
            boolean plugin = config.containsKey("pluginId");
            if (!instance && !plugin) {
                problems.add(label + ": field 'instance' or 'pluginId' is missing");
            } else if (instance && plugin) {
                problems.add(label + ": fields 'instance' and 'pluginId' exclude each other; give one");
            }
            text("instance", true);
            text("pluginId", true);
            text("actionName", true);
            Object payload = config.get("payload");
            if (payload != null && !(payload instanceof Map<?, ?>)
                    && !(payload instanceof String text && Templates.whole(text) != null)) {
                problems.add(label + ": field 'payload' must be an object (or one placeholder giving one), found "
                        + Templates.describe(payload));
            }
        }

        private void inference() {
            text("provider", true);
            text("prompt", true);
            text("model", false);
            text("system", false);
            Object maxTokens = config.get("maxTokens");
            if (maxTokens != null && !(maxTokens instanceof Integer n && n >= 0)
                    && !(maxTokens instanceof String text && Templates.whole(text) != null)) {
                problems.add(label + ": field 'maxTokens' must be a whole number of at least 0, found "
                        + Templates.describe(maxTokens));
            }
        }

        private void sendMessage() {
            text("connector", true);
            Object conversation = config.get("conversationId");
            if (conversation != null && !(conversation instanceof Number)
                    && !(conversation instanceof String text && !text.isEmpty())) {
                problems.add(label + ": field 'conversationId' must be a non-empty text or a number, found "
                        + Templates.describe(conversation));
            }
            text("text", false);
        }

        /** A field that, when present, must be a text (non-empty if {@code nonEmpty}). */
        private void text(String field, boolean nonEmpty) {
            Object value = config.get(field);
            if (value != null && !(value instanceof String text && (!nonEmpty || !text.isEmpty()))) {
                problems.add(label + ": field '" + field + "' must be a " + (nonEmpty ? "non-empty " : "")
                        + "text, found " + Templates.describe(value));
            } else if (value == null && config.containsKey(field)) {
                problems.add(label + ": field '" + field + "' must be a " + (nonEmpty ? "non-empty " : "")
                        + "text, found null");
            }
        }
    }

    // --- edges

    private List<Edge> edges(JsonNode edgesJson, Map<String, Node> nodes) {
        if (edgesJson == null || edgesJson.isNull()) {
            return List.of();
        }
        if (!edgesJson.isArray()) {
            problems.add("definition: field 'edges' must be a list of edges, found " + describe(edgesJson));
            return List.of();
        }
        List<Edge> edges = new ArrayList<>();
        Set<Edge> seen = new HashSet<>();
        for (int i = 0; i < edgesJson.size(); i++) {
            JsonNode json = edgesJson.get(i);
            String position = "edges[" + i + "]";
            if (!json.isObject()) {
                problems.add(position + " must be an object with 'from' and 'to', found " + describe(json));
                continue;
            }
            String from = endpoint(position, json, "from");
            String to = endpoint(position, json, "to");
            String label = from != null && to != null ? "edge '" + from + "' → '" + to + "'" : position;
            unknownFields(label, json, EDGE_FIELDS, "an edge has from, to and when");
            if (from == null || to == null) {
                continue;
            }
            boolean known = true;
            for (String end : List.of("from", "to")) {
                String id = end.equals("from") ? from : to;
                if (!nodes.containsKey(id)) {
                    if (!declared.contains(id)) { // a node with problems of its own is reported there
                        problems.add(label + ": field '" + end + "': there is no node '" + id + "'");
                    }
                    known = false;
                }
            }
            if (!known) {
                continue;
            }
            JsonNode whenJson = json.get("when");
            Boolean when = null;
            if (nodes.get(from).kind() == NodeKind.CONDITION) {
                if (whenJson == null || whenJson.isNull()) {
                    problems.add(label + ": field 'when' is missing; an edge from a condition says true or false");
                } else if (!whenJson.isBoolean()) {
                    problems.add(label + ": field 'when' must be true or false, found " + describe(whenJson));
                } else {
                    when = whenJson.asBoolean();
                }
            } else if (whenJson != null) {
                problems.add(label + ": field 'when' is only for edges from a condition node, and '" + from
                        + "' is a " + nodes.get(from).kind().jsonName() + " node");
            }
            if (nodes.get(to).kind() == NodeKind.TRIGGER) {
                problems.add(label + ": field 'to': the trigger node '" + to + "' cannot have incoming edges");
                continue;
            }
            Edge edge = new Edge(from, to, when);
            if (!seen.add(edge)) {
                problems.add(label + ": is listed twice");
                continue;
            }
            edges.add(edge);
        }
        return edges;
    }

    private String endpoint(String position, JsonNode edge, String field) {
        JsonNode json = edge.get(field);
        if (json == null || json.isNull()) {
            problems.add(position + ": field '" + field + "' is missing");
            return null;
        }
        if (!json.isTextual()) {
            problems.add(position + ": field '" + field + "' must be a node id, found " + describe(json));
            return null;
        }
        return json.asText();
    }

    // --- the graph

    private record Graph(Set<String> ids, List<Edge> edges) {
        List<String> next(String id) {
            return edges.stream().filter(e -> e.from().equals(id)).map(Edge::to).distinct().toList();
        }

        /** The nodes with a path of edges to {@code id}. */
        Set<String> upstream(String id) {
            Set<String> found = new HashSet<>();
            Deque<String> todo = new ArrayDeque<>(List.of(id));
            while (!todo.isEmpty()) {
                String at = todo.pop();
                edges.stream().filter(e -> e.to().equals(at)).map(Edge::from).filter(found::add).forEach(todo::push);
            }
            return found;
        }
    }

    /** Reports each edge that closes a cycle, with the cycle. */
    private void cycles(Graph graph) {
        Map<String, Integer> state = new HashMap<>(); // absent: unvisited, 1: on the path, 2: done
        for (String start : graph.ids()) {
            if (!state.containsKey(start)) {
                walk(graph, start, state, new ArrayList<>());
            }
        }
    }

    private void walk(Graph graph, String id, Map<String, Integer> state, List<String> path) {
        state.put(id, 1);
        path.add(id);
        for (String next : graph.next(id)) {
            Integer seen = state.get(next);
            if (seen == null) {
                walk(graph, next, state, path);
            } else if (seen == 1) {
                List<String> cycle = new ArrayList<>(path.subList(path.indexOf(next), path.size()));
                cycle.add(next);
                problems.add("edge '" + id + "' → '" + next + "': field 'to' closes the cycle "
                        + String.join(" → ", cycle) + "; flows must not loop");
            }
        }
        path.remove(path.size() - 1);
        state.put(id, 2);
    }

    private void reachability(Graph graph, Map<String, Node> nodes) {
        List<Node> triggers = nodes.values().stream().filter(n -> n.kind() == NodeKind.TRIGGER).toList();
        if (triggers.size() != 1) {
            return;
        }
        String trigger = triggers.get(0).id();
        Set<String> reached = new HashSet<>(List.of(trigger));
        Deque<String> todo = new ArrayDeque<>(reached);
        while (!todo.isEmpty()) {
            graph.next(todo.pop()).stream().filter(reached::add).forEach(todo::push);
        }
        for (String id : nodes.keySet()) {
            if (!reached.contains(id)) {
                problems.add("node '" + id + "': no edges lead to it from the trigger node '" + trigger
                        + "', so it would never run");
            }
        }
    }

    /** Every placeholder must read a node that runs before the one it is in. */
    private void placeholders(Graph graph, Map<String, Node> nodes) {
        for (Node node : nodes.values()) {
            Set<String> upstream = graph.upstream(node.id());
            String label = "node '" + node.id() + "'";
            Set<String> reported = new LinkedHashSet<>();
            for (Map.Entry<String, Object> entry : node.config().entrySet()) {
                Templates.texts(entry.getKey(), entry.getValue(), (field, text) -> {
                    for (Templates.Placeholder placeholder : Templates.placeholders(text)) {
                        String problem = placeholder.problem();
                        if (problem == null) {
                            String source = placeholder.path().split("\\.")[0];
                            if (!nodes.containsKey(source)) {
                                problem = declared.contains(source) ? null // reported at that node
                                        : "{{" + placeholder.path() + "}} refers to node '" + source
                                                + "', which does not exist";
                            } else if (!upstream.contains(source)) {
                                problem = "{{" + placeholder.path() + "}} refers to node '" + source
                                        + "', which is not upstream of '" + node.id() + "'";
                            }
                        }
                        if (problem != null && reported.add(field + problem)) {
                            problems.add(label + ": field '" + field + "': " + problem);
                        }
                    }
                });
            }
        }
    }

    // --- helpers

    private void unknownFields(String label, JsonNode object, Set<String> known, String hint) {
        for (Iterator<String> names = object.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!known.contains(name)) {
                problems.add(label + ": field '" + name + "' is unknown; " + hint);
            }
        }
    }

    private static String describe(JsonNode json) {
        if (json.isObject()) {
            return "an object";
        }
        if (json.isArray()) {
            return "a list";
        }
        if (json.isTextual()) {
            return Templates.describe(json.asText());
        }
        if (json.isNumber()) {
            return "the number " + json.asText();
        }
        return json.toString();
    }
}
