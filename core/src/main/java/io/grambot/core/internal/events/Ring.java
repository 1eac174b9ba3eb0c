package io.grambot.core.internal.events;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/** The last {@code size} items added, for monitoring; adding never blocks and never grows. */
final class Ring<T> {

    private final AtomicReferenceArray<T> slots;
    private final AtomicLong next = new AtomicLong();

    Ring(int size) {
        slots = new AtomicReferenceArray<>(size);
    }

    void add(T item) {
        slots.set((int) (next.getAndIncrement() % slots.length()), item);
    }

    /** Oldest first. Under concurrent adds a slot may already hold a newer item; monitoring can live with that. */
    List<T> snapshot() {
        long end = next.get();
        long start = Math.max(0, end - slots.length());
        List<T> items = new ArrayList<>((int) (end - start));
        for (long i = start; i < end; i++) {
            T item = slots.get((int) (i % slots.length()));
            if (item != null) {
                items.add(item);
            }
        }
        return items;
    }
}
