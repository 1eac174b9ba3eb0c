package io.grambot.core.internal.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.grambot.api.flow.FlowRun;
import io.grambot.api.flow.FlowStep;

class RunHistoryTest {

    @TempDir
    Path dir;

    private final RecordingLog log = new RecordingLog();

    private static FlowRun run(String flowId, String runId, FlowRun.Status status) {
        Instant at = Instant.parse("2026-01-02T03:04:05Z");
        return new FlowRun(runId, flowId, status, at, status == FlowRun.Status.RUNNING ? null : at.plusMillis(7),
                List.of(new FlowStep("start", "trigger", true, Map.of("data", Map.of("n", 1)), "", at, 0)),
                status == FlowRun.Status.FAILED ? "node 'x': broke" : "");
    }

    @Test
    void keepsTheLatestRunsPerFlowNewestFirst() {
        RunHistory history = new RunHistory(3, dir::resolve, log.logger);
        for (int i = 1; i <= 5; i++) {
            history.record(run("orders", "r" + i, FlowRun.Status.SUCCEEDED));
        }
        history.record(run("other", "x1", FlowRun.Status.SUCCEEDED));

        assertThat(history.runs("orders", 10)).extracting(FlowRun::runId).containsExactly("r5", "r4", "r3");
        assertThat(history.runs("orders", 2)).extracting(FlowRun::runId).containsExactly("r5", "r4");
        assertThat(history.run("r4")).map(FlowRun::flowId).contains("orders");
        assertThat(history.run("r1")).isEmpty(); // dropped from memory
        assertThat(history.runs("none", 10)).isEmpty();
    }

    @Test
    void aRunningRunIsReplacedByItsLaterStatesAndOnlyTheEndIsWritten() throws Exception {
        RunHistory history = new RunHistory(100, dir::resolve, log.logger);

        history.record(run("orders", "r1", FlowRun.Status.RUNNING));
        assertThat(history.file("orders")).doesNotExist();
        history.record(run("orders", "r1", FlowRun.Status.FAILED));
        history.record(run("orders", "r2", FlowRun.Status.SUCCEEDED));

        assertThat(history.runs("orders", 10)).extracting(FlowRun::status)
                .containsExactly(FlowRun.Status.SUCCEEDED, FlowRun.Status.FAILED);
        Path file = dir.resolve("orders").resolve("runs.jsonl");
        assertThat(history.file("orders")).isEqualTo(file);
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(2);
        @SuppressWarnings("unchecked")
        Map<String, Object> first = new ObjectMapper().readValue(lines.get(0), Map.class);
        assertThat(first).containsEntry("runId", "r1").containsEntry("flowId", "orders")
                .containsEntry("status", "FAILED").containsEntry("error", "node 'x': broke")
                .containsEntry("startedAt", "2026-01-02T03:04:05Z").containsEntry("endedAt", "2026-01-02T03:04:05.007Z");
        assertThat((List<?>) first.get("steps")).singleElement().isEqualTo(Map.of("nodeId", "start", "kind", "trigger",
                "ok", true, "startedAt", "2026-01-02T03:04:05Z", "durationMillis", 0, "output",
                Map.of("data", Map.of("n", 1)), "error", ""));
        assertThat(log.lines).isEmpty();
    }

    @Test
    void aFileThatCannotBeWrittenIsLoggedAndTheRunIsStillKept() throws Exception {
        Files.writeString(dir.resolve("orders"), "a file where the directory should be");
        RunHistory history = new RunHistory(100, dir::resolve, log.logger);

        history.record(run("orders", "r1", FlowRun.Status.SUCCEEDED));

        assertThat(history.runs("orders", 1)).hasSize(1);
        assertThat(log.lines).singleElement().asString().startsWith("ERROR flow 'orders': run r1 could not be"
                + " appended to " + dir.resolve("orders").resolve("runs.jsonl"));
    }
}
