package io.grambot.core.internal.health;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of one of Grambot's health checks: what it found, each finding with its own status.
 *
 * @param name the check's name ({@code hc.name} of its Felix Health Check)
 * @param findings what it found, one sentence each; at least one
 */
public record HealthResult(String name, List<Finding> findings) {

    /** How healthy; ordered from best to worst, as Felix Health Checks' statuses are. */
    public enum Status {
        OK, WARN, CRITICAL
    }

    /** One thing a check found. */
    public record Finding(Status status, String message) {
        public Finding {
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(message, "message");
        }

        static Finding ok(String message) {
            return new Finding(Status.OK, message);
        }
    }

    public HealthResult {
        Objects.requireNonNull(name, "name");
        findings = List.copyOf(findings);
        if (findings.isEmpty()) {
            throw new IllegalArgumentException("a health result of '" + name + "' needs at least one finding");
        }
    }

    /** The worst status among the findings. */
    public Status status() {
        return findings.stream().map(Finding::status).max(Enum::compareTo).orElse(Status.OK);
    }
}
