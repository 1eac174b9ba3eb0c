package io.grambot.core.internal.health.felix;

import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.grambot.core.internal.health.GrambotHealth;

/** The last connection test of every running instance passed ({@link GrambotHealth#connections()}). */
@Component(service = HealthCheck.class, property = { HealthCheck.NAME + "=" + GrambotHealth.CONNECTIONS,
        HealthCheck.TAGS + "=" + FelixResults.TAG, HealthCheck.TAGS + "=connections",
        HealthCheck.MBEAN_NAME + "=grambotConnections" })
public final class ConnectionsHealthCheck implements HealthCheck {

    private final GrambotHealth health;

    @Activate
    public ConnectionsHealthCheck(@Reference GrambotHealth health) {
        this.health = health;
    }

    @Override
    public Result execute() {
        return FelixResults.of(health.connections());
    }
}
