package io.grambot.core.internal.health.felix;

import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.grambot.core.internal.health.GrambotHealth;

/** Every enabled plugin instance is active ({@link GrambotHealth#instances()}). */
@Component(service = HealthCheck.class, property = { HealthCheck.NAME + "=" + GrambotHealth.INSTANCES,
        HealthCheck.TAGS + "=" + FelixResults.TAG, HealthCheck.TAGS + "=instances",
        HealthCheck.MBEAN_NAME + "=grambotInstances" })
public final class InstancesHealthCheck implements HealthCheck {

    private final GrambotHealth health;

    @Activate
    public InstancesHealthCheck(@Reference GrambotHealth health) {
        this.health = health;
    }

    @Override
    public Result execute() {
        return FelixResults.of(health.instances());
    }
}
