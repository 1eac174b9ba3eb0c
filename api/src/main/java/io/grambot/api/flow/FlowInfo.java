package io.grambot.api.flow;

import java.util.List;

/**
 * A configured flow.
 *
 * @param flowId its id (the configuration's name)
 * @param enabled whether it starts runs
 * @param problems what is wrong with its definition; empty when it is valid
 * @param trigger what starts it: {@code <instanceId>/<trigger>}, or {@code manual}
 */
public record FlowInfo(String flowId, boolean enabled, List<String> problems, String trigger) {

    public FlowInfo {
        problems = List.copyOf(problems);
    }

    public boolean valid() {
        return problems.isEmpty();
    }
}
