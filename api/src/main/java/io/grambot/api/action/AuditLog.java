package io.grambot.api.action;

import java.time.Instant;
import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/** The audit log of action attempts: append-only, persisted and rotated by the core. */
@ProviderType
public interface AuditLog {

    /**
     * The newest records first that match; {@code null} or blank arguments match everything.
     *
     * @param instanceId only this instance's records
     * @param action only this action's records
     * @param since only records from this time on
     * @param limit at most this many
     */
    List<AuditRecord> query(String instanceId, String action, Instant since, int limit);
}
