package io.grambot.core.internal.flow;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * A valid flow: its nodes in definition order and its edges. Only {@link FlowValidator} makes one, after checking
 * every rule, so the graph here is acyclic, has one trigger node, and every edge joins existing nodes.
 */
public record FlowDefinition(List<Node> nodes, List<Edge> edges) {

    /** The id {@link #triggerKey()} gives a flow that only starts by hand. */
    public static final String MANUAL = "manual";

    /**
     * A node.
     *
     * @param id unique in the flow
     * @param kind what it does
     * @param config its settings, JSON-like, placeholders not yet filled in
     */
    public record Node(String id, NodeKind kind, Map<String, Object> config) {
        public Node {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(kind, "kind");
            config = config == null ? Map.of() : config;
        }
    }

    /**
     * An edge: after {@code from} succeeds, {@code to} runs; from a condition only when its result equals
     * {@code when}.
     */
    public record Edge(String from, String to, Boolean when) {}

    public FlowDefinition {
        nodes = List.copyOf(nodes);
        edges = List.copyOf(edges);
    }

    public Node trigger() {
        return nodes.stream().filter(n -> n.kind() == NodeKind.TRIGGER).findFirst().orElseThrow();
    }

    /** What starts the flow: {@code <instance>/<trigger>}, or {@value #MANUAL} for a trigger node without them. */
    public String triggerKey() {
        Map<String, Object> config = trigger().config();
        return config.get("instance") instanceof String instance && config.get("trigger") instanceof String name
                ? instance + "/" + name : MANUAL;
    }

    /** The edges leaving a node, in definition order. */
    public List<Edge> outgoing(String nodeId) {
        return edges.stream().filter(e -> e.from().equals(nodeId)).toList();
    }

    /**
     * The nodes in an order where every node comes after all nodes with an edge to it; among nodes free to go, the
     * one defined first goes first, so a run's order is predictable from the definition.
     */
    public List<Node> order() {
        Map<String, Integer> position = new HashMap<>();
        Map<String, Integer> incoming = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            position.put(nodes.get(i).id(), i);
            incoming.put(nodes.get(i).id(), 0);
        }
        edges.stream().map(Edge::to).distinct()
                .forEach(to -> incoming.put(to, (int) edges.stream().filter(e -> e.to().equals(to))
                        .map(Edge::from).distinct().count()));
        PriorityQueue<Node> free = new PriorityQueue<>(Comparator.comparing(n -> position.get(n.id())));
        nodes.stream().filter(n -> incoming.get(n.id()) == 0).forEach(free::add);
        List<Node> order = new ArrayList<>(nodes.size());
        while (!free.isEmpty()) {
            Node node = free.poll();
            order.add(node);
            outgoing(node.id()).stream().map(Edge::to).distinct().forEach(to -> {
                if (incoming.merge(to, -1, Integer::sum) == 0) {
                    free.add(nodes.get(position.get(to)));
                }
            });
        }
        return order;
    }
}
