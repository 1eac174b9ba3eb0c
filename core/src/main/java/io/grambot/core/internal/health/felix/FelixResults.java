package io.grambot.core.internal.health.felix;

import org.apache.felix.hc.api.Result;
import org.apache.felix.hc.api.ResultLog;

import io.grambot.core.internal.health.HealthResult;

/** Grambot's health results as Felix Health Check results: one log entry per finding, at its status. */
final class FelixResults {

    /** The tag every Grambot check carries. */
    static final String TAG = "grambot";

    private FelixResults() {}

    static Result of(HealthResult result) {
        ResultLog log = new ResultLog();
        for (HealthResult.Finding finding : result.findings()) {
            log.add(new ResultLog.Entry(switch (finding.status()) {
                case OK -> Result.Status.OK;
                case WARN -> Result.Status.WARN;
                case CRITICAL -> Result.Status.CRITICAL;
            }, finding.message()));
        }
        return new Result(log);
    }
}
