package org.peekaboo.db;

import static org.peekaboo.db.schema.Tables.SAMPLE_LOCK;

import java.util.List;
import java.util.Objects;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.peekaboo.status.DaemonStatus;
import org.peekaboo.status.LockHolders;

/**
 * The instances holding rows of {@code sample_lock}, for {@code peekaboo status}: one grouped
 * query over the owner index. Through the store's {@link Retry}, so that a known outage fails
 * it at once and a failure counts for the outage like any other.
 */
final class JooqLockHolders implements LockHolders {
    private final DSLContext dsl;
    private final Retry retry;

    JooqLockHolders(DSLContext dsl, Retry retry) {
        this.dsl = Objects.requireNonNull(dsl, "dsl");
        this.retry = Objects.requireNonNull(retry, "retry");
    }

    @Override
    public List<DaemonStatus.Instance> holders() {
        return retry.run(() -> dsl.select(SAMPLE_LOCK.OWNER, DSL.count(), DSL.max(SAMPLE_LOCK.TAKEN_AT))
                .from(SAMPLE_LOCK)
                .groupBy(SAMPLE_LOCK.OWNER)
                .orderBy(SAMPLE_LOCK.OWNER)
                .fetch(row -> new DaemonStatus.Instance(row.value1(), row.value2(),
                        JooqSampleLocks.toInstant(row.value3()))));
    }
}
