package io.grambot.core.internal.health.felix;

import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.grambot.core.internal.health.GrambotHealth;

/** The event queue is not backing up ({@link GrambotHealth#eventQueue()}). */
@Component(service = HealthCheck.class, property = { HealthCheck.NAME + "=" + GrambotHealth.EVENT_QUEUE,
        HealthCheck.TAGS + "=" + FelixResults.TAG, HealthCheck.TAGS + "=events",
        HealthCheck.MBEAN_NAME + "=grambotEventQueue" })
public final class EventQueueHealthCheck implements HealthCheck {

    private final GrambotHealth health;

    @Activate
    public EventQueueHealthCheck(@Reference GrambotHealth health) {
        this.health = health;
    }

    @Override
    public Result execute() {
        return FelixResults.of(health.eventQueue());
    }
}
