package io.grambot.core.internal.events;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Counts pending events against a limit. Taking and returning a slot is one CAS; only a producer that has to wait
 * for room takes the lock.
 */
final class Capacity {

    private volatile int limit;
    private final AtomicInteger used = new AtomicInteger();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition freed = lock.newCondition();
    private volatile int waiters;

    Capacity(int limit) {
        this.limit = limit;
    }

    int limit() {
        return limit;
    }

    /** Changes the limit; producers waiting for room try again. Pending events beyond a lower limit stay. */
    void limit(int limit) {
        this.limit = limit;
        lock.lock();
        try {
            freed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    int used() {
        return used.get();
    }

    boolean tryAcquire() {
        for (int u = used.get(); u < limit; u = used.get()) {
            if (used.compareAndSet(u, u + 1)) {
                return true;
            }
        }
        return false;
    }

    /** Waits up to {@code timeout} for a free slot; {@code false} if none came. */
    boolean acquire(long timeout, TimeUnit unit) throws InterruptedException {
        if (tryAcquire()) {
            return true;
        }
        long nanos = unit.toNanos(timeout);
        lock.lockInterruptibly();
        try {
            waiters++;
            try {
                // a release that read waiters == 0 freed its slot before we announced ourselves: tryAcquire sees it
                while (!tryAcquire()) {
                    if (nanos <= 0) {
                        return false;
                    }
                    nanos = freed.awaitNanos(nanos);
                }
                return true;
            } finally {
                waiters--;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Takes a slot even beyond the limit: for events recovered from the journal, which were accepted before. */
    void force() {
        used.incrementAndGet();
    }

    void release() {
        used.decrementAndGet();
        if (waiters > 0) {
            lock.lock();
            try {
                freed.signal();
            } finally {
                lock.unlock();
            }
        }
    }
}
