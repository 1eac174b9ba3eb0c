package io.grambot.core.internal.health.felix;

import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.grambot.core.internal.health.GrambotHealth;

/** The data directory, the event journal's and the audit log's, is writable ({@link GrambotHealth#dataDirectory()}). */
@Component(service = HealthCheck.class, property = { HealthCheck.NAME + "=" + GrambotHealth.DATA_DIRECTORY,
        HealthCheck.TAGS + "=" + FelixResults.TAG, HealthCheck.TAGS + "=storage",
        HealthCheck.MBEAN_NAME + "=grambotDataDirectory" })
public final class DataDirectoryHealthCheck implements HealthCheck {

    private final GrambotHealth health;

    @Activate
    public DataDirectoryHealthCheck(@Reference GrambotHealth health) {
        this.health = health;
    }

    @Override
    public Result execute() {
        return FelixResults.of(health.dataDirectory());
    }
}
