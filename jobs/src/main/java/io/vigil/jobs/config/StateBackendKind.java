package io.vigil.jobs.config;

import java.util.Locale;

/**
 * Where the job keeps its Flink state ({@code state.backend} in {@code vigil.yaml}); written in
 * lower case, Flink's own names for them.
 */
public enum StateBackendKind {

    /** On the JVM heap: the fastest, and what the heap can hold (about 0.9 kB per correlation key). */
    HASHMAP,
    /** In RocksDB on local disk, with incremental checkpoints: for key counts the heap cannot hold. */
    ROCKSDB;

    /** Flink's name of the backend ({@code state.backend.type}). */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
