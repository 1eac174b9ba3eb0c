package io.grambot.core.internal.flow;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.osgi.service.log.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.grambot.api.flow.FlowRun;
import io.grambot.api.flow.FlowStep;

/**
 * The runs of every flow: the last {@code kept} per flow in memory (running ones included), and every finished run
 * appended as one JSON line to its flow's {@code runs.jsonl}, which moves aside to {@code runs.1.jsonl} when it
 * passes {@value #MAX_FILE_BYTES} bytes. Step outputs arrive already {@link Redaction redacted}.
 */
public final class RunHistory {

    static final long MAX_FILE_BYTES = 10L * 1024 * 1024;
    static final String FILE = "runs.jsonl";

    private final int kept;
    private final Function<String, Path> directoryOfFlow;
    private final Logger log;
    private final ObjectMapper json = new ObjectMapper();
    /** Per flow, its runs by id in start order. Guarded by this. */
    private final Map<String, LinkedHashMap<String, FlowRun>> byFlow = new HashMap<>();
    /** Which flow a kept run belongs to. Guarded by this. */
    private final Map<String, String> flowOfRun = new HashMap<>();

    public RunHistory(int kept, Function<String, Path> directoryOfFlow, Logger log) {
        this.kept = kept;
        this.directoryOfFlow = directoryOfFlow;
        this.log = log;
    }

    /** Keeps the run's latest state; a finished run is also appended to its flow's file. */
    public synchronized void record(FlowRun run) {
        LinkedHashMap<String, FlowRun> runs = byFlow.computeIfAbsent(run.flowId(), id -> new LinkedHashMap<>());
        runs.put(run.runId(), run);
        flowOfRun.put(run.runId(), run.flowId());
        while (runs.size() > kept) {
            String oldest = runs.keySet().iterator().next();
            runs.remove(oldest);
            flowOfRun.remove(oldest);
        }
        if (run.status() != FlowRun.Status.RUNNING) {
            append(run);
        }
    }

    /** A flow's kept runs, newest first. */
    public synchronized List<FlowRun> runs(String flowId, int limit) {
        List<FlowRun> runs = new ArrayList<>(byFlow.getOrDefault(flowId, new LinkedHashMap<>()).values());
        Collections.reverse(runs);
        return List.copyOf(runs.subList(0, Math.max(0, Math.min(limit, runs.size()))));
    }

    public synchronized Optional<FlowRun> run(String runId) {
        String flowId = flowOfRun.get(runId);
        return flowId == null ? Optional.empty() : Optional.ofNullable(byFlow.get(flowId).get(runId));
    }

    /** The file a flow's finished runs are appended to. */
    public Path file(String flowId) {
        return directoryOfFlow.apply(flowId).resolve(FILE);
    }

    private void append(FlowRun run) {
        Path file = file(run.flowId());
        try {
            byte[] line = (json.writeValueAsString(toJson(run)) + "\n").getBytes(StandardCharsets.UTF_8);
            Files.createDirectories(file.getParent());
            if (Files.exists(file) && Files.size(file) + line.length > MAX_FILE_BYTES) {
                Files.move(file, file.resolveSibling("runs.1.jsonl"), StandardCopyOption.REPLACE_EXISTING);
            }
            Files.write(file, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException | RuntimeException e) {
            log.error("flow '{}': run {} could not be appended to {}: {}", run.flowId(), run.runId(), file,
                    e.toString());
        }
    }

    /** A run as the JSON line keeps it. */
    static Map<String, Object> toJson(FlowRun run) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("runId", run.runId());
        line.put("flowId", run.flowId());
        line.put("status", run.status().name());
        line.put("startedAt", String.valueOf(run.startedAt()));
        line.put("endedAt", run.endedAt() == null ? null : run.endedAt().toString());
        line.put("error", run.error());
        List<Map<String, Object>> steps = new ArrayList<>();
        for (FlowStep step : run.steps()) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("nodeId", step.nodeId());
            s.put("kind", step.kind());
            s.put("ok", step.ok());
            s.put("startedAt", String.valueOf(step.startedAt()));
            s.put("durationMillis", step.durationMillis());
            s.put("output", step.output());
            s.put("error", step.error());
            steps.add(s);
        }
        line.put("steps", steps);
        return line;
    }
}
