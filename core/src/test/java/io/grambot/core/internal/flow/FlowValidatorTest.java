package io.grambot.core.internal.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class FlowValidatorTest {

    /** The example of the definition format (issue 7), as the README shows it. */
    static final String EXAMPLE = """
            {"nodes":[{"id":"start","kind":"trigger","config":{"instance":"hooks","trigger":"webhook"}},
                      {"id":"big","kind":"condition","config":{"left":"{{start.data.amount}}","op":"gt","right":100}},
                      {"id":"call","kind":"plugin_action","config":{"instance":"http1","actionName":"http_request",
                        "payload":{"url":"https://example.org/{{start.data.id}}","method":"POST"}}},
                      {"id":"ask","kind":"inference","config":{"provider":"claude","model":"","system":"Be brief.",
                        "prompt":"Summarise {{call.output.body}}"}},
                      {"id":"notify","kind":"send_message","config":{"connector":"webchat",
                        "conversationId":"{{start.data.chat}}","text":"Done: {{ask.text}}"}}],
             "edges":[{"from":"start","to":"big"},{"from":"big","to":"call","when":true},{"from":"call","to":"ask"},
                      {"from":"ask","to":"notify"}]}
            """;

    private static List<String> problems(String json) {
        return FlowValidator.validate(json).problems();
    }

    /** A definition of a trigger node "start" followed by the given nodes and edges (JSON fragments). */
    private static String flow(String nodes, String edges) {
        return "{\"nodes\":[{\"id\":\"start\",\"kind\":\"trigger\",\"config\":{\"instance\":\"hooks\","
                + "\"trigger\":\"webhook\"}}" + (nodes.isEmpty() ? "" : "," + nodes) + "],\"edges\":[" + edges + "]}";
    }

    private static final String NOTIFY = "{\"id\":\"notify\",\"kind\":\"send_message\",\"config\":{\"connector\":"
            + "\"webchat\",\"conversationId\":\"c1\",\"text\":\"hi\"}}";

    @Test
    void theExampleIsValidAndReadInOrder() {
        FlowValidator.Result result = FlowValidator.validate(EXAMPLE);

        assertThat(result.problems()).isEmpty();
        FlowDefinition definition = result.definition();
        assertThat(definition.triggerKey()).isEqualTo("hooks/webhook");
        assertThat(definition.order()).extracting(FlowDefinition.Node::id)
                .containsExactly("start", "big", "call", "ask", "notify");
        assertThat(definition.outgoing("big")).containsExactly(new FlowDefinition.Edge("big", "call", true));
    }

    @Test
    void jsonErrorsSayTheLineAndColumn() {
        assertThat(problems("{\"nodes\": [\n  {\"id\": \"start\",}\n]}")).containsExactly(
                "definition: not valid JSON at line 2, column 18: Unexpected character ('}' (code 125)): was"
                        + " expecting double-quote to start field name");
        assertThat(problems("{\"nodes\": [], \"nodes\": []}")).containsExactly(
                "definition: not valid JSON at line 1, column 22: Duplicate field 'nodes'");
        assertThat(problems("")).containsExactly("definition: field 'definition' is empty; it holds the flow as"
                + " JSON with 'nodes' and 'edges'");
        assertThat(problems("[]")).containsExactly(
                "definition: must be a JSON object with 'nodes' and 'edges', found a list");
        assertThat(problems("{\"edges\": []}")).containsExactly("definition: field 'nodes' is missing");
        assertThat(problems("{\"nodes\": {}}")).containsExactly(
                "definition: field 'nodes' must be a list of nodes, found an object");
    }

    @Test
    void exactlyOneTriggerNode() {
        assertThat(problems("{\"nodes\":[" + NOTIFY + "]}")).contains(
                "definition: field 'nodes': a flow needs exactly one node of kind 'trigger', found none");
        assertThat(problems(flow("{\"id\":\"again\",\"kind\":\"trigger\"}", "{\"from\":\"start\",\"to\":\"again\"}")))
                .contains("node 'again': field 'kind': a flow has exactly one trigger node, and 'start' is one"
                        + " already");
    }

    @Test
    void idsAreUniqueAndPlain() {
        assertThat(problems(flow(NOTIFY + "," + NOTIFY, "{\"from\":\"start\",\"to\":\"notify\"}"))).containsExactly(
                "node 'notify': field 'id': nodes[1] and nodes[2] have the same id; ids must be unique");
        assertThat(problems(flow("{\"kind\":\"condition\"}", ""))).contains("nodes[1]: field 'id' is missing");
        assertThat(problems(flow("{\"id\":\"a b\",\"kind\":\"condition\"}", ""))).contains(
                "node 'a b': field 'id' may contain only letters, digits, '_' and '-' (at most 64)");
        assertThat(problems(flow("{\"id\":7,\"kind\":\"condition\"}", ""))).contains(
                "nodes[1]: field 'id' must be a non-empty text, found the number 7");
    }

    @Test
    void kindsAreKnown() {
        assertThat(problems(flow("{\"id\":\"x\",\"kind\":\"email\"}", "{\"from\":\"start\",\"to\":\"x\"}")))
                .containsExactly("node 'x': field 'kind': unknown kind 'email'; the kinds are trigger, condition,"
                        + " plugin_action, inference, send_message");
        assertThat(problems(flow("{\"id\":\"x\"}", ""))).containsExactly("node 'x': field 'kind' is missing");
    }

    @Test
    void requiredFieldsPerKind() {
        assertThat(problems(flow("{\"id\":\"notify\",\"kind\":\"send_message\",\"config\":{\"text\":\"hi\"}}",
                "{\"from\":\"start\",\"to\":\"notify\"}"))).containsExactly(
                        "node 'notify': field 'connector' is missing",
                        "node 'notify': field 'conversationId' is missing");
        assertThat(problems(flow("{\"id\":\"call\",\"kind\":\"plugin_action\",\"config\":{}}",
                "{\"from\":\"start\",\"to\":\"call\"}"))).containsExactly(
                        "node 'call': field 'actionName' is missing",
                        "node 'call': field 'instance' or 'pluginId' is missing");
        assertThat(problems(flow("{\"id\":\"call\",\"kind\":\"plugin_action\",\"config\":{\"instance\":\"a\","
                + "\"pluginId\":\"b\",\"actionName\":\"go\"}}", "{\"from\":\"start\",\"to\":\"call\"}")))
                .containsExactly("node 'call': fields 'instance' and 'pluginId' exclude each other; give one");
        assertThat(problems(flow("{\"id\":\"ask\",\"kind\":\"inference\",\"config\":{\"provider\":\"\"}}",
                "{\"from\":\"start\",\"to\":\"ask\"}"))).containsExactly(
                        "node 'ask': field 'prompt' is missing",
                        "node 'ask': field 'provider' must be a non-empty text, found the text \"\"");
        assertThat(problems(flow("{\"id\":\"big\",\"kind\":\"condition\",\"config\":{\"left\":1,\"op\":\"gt\"}}",
                "{\"from\":\"start\",\"to\":\"big\"}"))).containsExactly(
                        "node 'big': field 'right' is missing; 'gt' compares 'left' with it");
        assertThat(problems(flow("{\"id\":\"big\",\"kind\":\"condition\",\"config\":{\"left\":1,\"op\":\"exists\","
                + "\"right\":2}}", "{\"from\":\"start\",\"to\":\"big\"}"))).containsExactly(
                        "node 'big': field 'right' is not used by 'exists', which looks at 'left' only");
        assertThat(problems(flow("{\"id\":\"big\",\"kind\":\"condition\",\"config\":{\"left\":1,\"op\":\"bigger\","
                + "\"right\":2}}", "{\"from\":\"start\",\"to\":\"big\"}"))).containsExactly(
                        "node 'big': field 'op': unknown operator 'bigger'; the operators are eq, ne, gt, gte, lt,"
                                + " lte, contains, exists, not_exists");
    }

    @Test
    void aTriggerNamesBothInstanceAndTriggerOrNeither() {
        assertThat(problems("{\"nodes\":[{\"id\":\"start\",\"kind\":\"trigger\",\"config\":{\"instance\":\"hooks\"}}]}"))
                .containsExactly("node 'start': field 'trigger' is missing");
        FlowValidator.Result manual = FlowValidator.validate("{\"nodes\":[{\"id\":\"start\",\"kind\":\"trigger\"}]}");
        assertThat(manual.problems()).isEmpty();
        assertThat(manual.definition().triggerKey()).isEqualTo("manual");
    }

    @Test
    void fieldsAndTypesAreChecked() {
        assertThat(problems(flow("{\"id\":\"notify\",\"kind\":\"send_message\",\"config\":{\"connector\":\"webchat\","
                + "\"conversationID\":\"c1\",\"conversationId\":true,\"text\":\"hi\"}}",
                "{\"from\":\"start\",\"to\":\"notify\"}"))).containsExactly(
                        "node 'notify': field 'conversationID' is not a field of a send_message node (connector,"
                                + " conversationId, text)",
                        "node 'notify': field 'conversationId' must be a non-empty text or a number, found true");
        assertThat(problems(flow("{\"id\":\"call\",\"kind\":\"plugin_action\",\"config\":{\"instance\":\"a\","
                + "\"actionName\":\"go\",\"payload\":[1]}}", "{\"from\":\"start\",\"to\":\"call\"}"))).containsExactly(
                        "node 'call': field 'payload' must be an object (or one placeholder giving one), found a list");
        assertThat(problems(flow("{\"id\":\"x\",\"kind\":\"condition\",\"config\":[]}", ""))).contains(
                "node 'x': field 'config' must be an object, found a list");
        assertThat(problems(flow("{\"id\":\"x\",\"kind\":\"trigger\",\"conf\":{}}", ""))).contains(
                "node 'x': field 'conf' is unknown; a node has id, kind and config");
    }

    @Test
    void edgesJoinExistingNodes() {
        assertThat(problems(flow(NOTIFY, "{\"from\":\"start\",\"to\":\"notify\"},{\"from\":\"notify\",\"to\":\"nope\"}")))
                .containsExactly("edge 'notify' → 'nope': field 'to': there is no node 'nope'");
        assertThat(problems(flow(NOTIFY, "{\"from\":\"start\",\"to\":\"notify\"},{\"to\":\"notify\"}")))
                .containsExactly("edges[1]: field 'from' is missing");
        assertThat(problems(flow(NOTIFY, "{\"from\":\"start\",\"to\":\"notify\"},{\"from\":\"notify\",\"to\":\"start\"}")))
                .containsExactly("edge 'notify' → 'start': field 'to': the trigger node 'start' cannot have incoming"
                        + " edges");
        assertThat(problems(flow(NOTIFY, "{\"from\":\"start\",\"to\":\"notify\"},{\"from\":\"start\",\"to\":\"notify\"}")))
                .containsExactly("edge 'start' → 'notify': is listed twice");
    }

    @Test
    void conditionEdgesSayWhenAndOthersDoNot() {
        String big = "{\"id\":\"big\",\"kind\":\"condition\",\"config\":{\"left\":1,\"op\":\"gt\",\"right\":0}}";
        assertThat(problems(flow(big + "," + NOTIFY, "{\"from\":\"start\",\"to\":\"big\"},"
                + "{\"from\":\"big\",\"to\":\"notify\"}"))).containsExactly(
                        "edge 'big' → 'notify': field 'when' is missing; an edge from a condition says true or false");
        assertThat(problems(flow(big + "," + NOTIFY, "{\"from\":\"start\",\"to\":\"big\"},"
                + "{\"from\":\"big\",\"to\":\"notify\",\"when\":\"yes\"}"))).containsExactly(
                        "edge 'big' → 'notify': field 'when' must be true or false, found the text \"yes\"");
        assertThat(problems(flow(big, "{\"from\":\"start\",\"to\":\"big\",\"when\":true}"))).containsExactly(
                "edge 'start' → 'big': field 'when' is only for edges from a condition node, and 'start' is a"
                        + " trigger node");
    }

    @Test
    void cyclesAndUnreachableNodesAreRefused() {
        String a = "{\"id\":\"a\",\"kind\":\"send_message\",\"config\":{\"connector\":\"c\",\"conversationId\":\"1\",\"text\":\"\"}}";
        String b = a.replace("\"a\"", "\"b\"");
        String c = a.replace("\"a\"", "\"c\"");
        assertThat(problems(flow(a + "," + b + "," + c, "{\"from\":\"start\",\"to\":\"a\"},{\"from\":\"a\",\"to\":\"b\"},"
                + "{\"from\":\"b\",\"to\":\"c\"},{\"from\":\"c\",\"to\":\"a\"}"))).containsExactly(
                        "edge 'c' → 'a': field 'to' closes the cycle a → b → c → a; flows must not loop");
        assertThat(problems(flow(NOTIFY, ""))).containsExactly(
                "node 'notify': no edges lead to it from the trigger node 'start', so it would never run");
    }

    @Test
    void placeholdersReadOnlyNodesUpstream() {
        String ask = "{\"id\":\"ask\",\"kind\":\"inference\",\"config\":{\"provider\":\"p\",\"prompt\":\"{{start.data.q}}\"}}";
        String notify = "{\"id\":\"notify\",\"kind\":\"send_message\",\"config\":{\"connector\":\"webchat\","
                + "\"conversationId\":\"{{start.data.chat}}\",\"text\":\"{{ask.text}} {{ghost.x}} {{start.data\"}}";
        // notify and ask are siblings: notify does not run after ask
        assertThat(problems(flow(ask + "," + notify, "{\"from\":\"start\",\"to\":\"ask\"},{\"from\":\"start\",\"to\":\"notify\"}")))
                .containsExactly(
                        "node 'notify': field 'text': {{ask.text}} refers to node 'ask', which is not upstream of"
                                + " 'notify'",
                        "node 'notify': field 'text': {{ghost.x}} refers to node 'ghost', which does not exist",
                        "node 'notify': field 'text': '{{' at character 26 has no closing '}}'");
        String call = "{\"id\":\"call\",\"kind\":\"plugin_action\",\"config\":{\"instance\":\"a\",\"actionName\":\"go\","
                + "\"payload\":{\"items\":[{\"id\":\"{{call.x}}\"}]}}}";
        assertThat(problems(flow(call, "{\"from\":\"start\",\"to\":\"call\"}"))).containsExactly(
                "node 'call': field 'payload.items.0.id': {{call.x}} refers to node 'call', which is not upstream"
                        + " of 'call'");
    }

    @Test
    void everyProblemIsReportedNotJustTheFirst() {
        List<String> found = problems("{\"nodes\":[{\"id\":\"start\",\"kind\":\"trigger\",\"config\":{\"instance\":\"h\","
                + "\"trigger\":\"t\"}},{\"id\":\"notify\",\"kind\":\"send_message\",\"config\":{\"text\":\"hi\"}}],"
                + "\"edges\":[{\"from\":\"start\",\"to\":\"notify\"},{\"from\":\"notify\",\"to\":\"gone\"}],\"extra\":1}");

        assertThat(found).containsExactly(
                "definition: field 'extra' is unknown; a definition has nodes and edges",
                "node 'notify': field 'connector' is missing",
                "node 'notify': field 'conversationId' is missing",
                "edge 'notify' → 'gone': field 'to': there is no node 'gone'");
    }
}
