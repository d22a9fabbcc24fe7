package io.vigil.bench.peers;

import io.vigil.bench.SyntheticAuth;
import io.vigil.model.SecurityEvent;
import java.io.Serializable;

/** A finite, replayable stream of events in time order: every engine reads the same one. */
public interface AuthStream extends Serializable {

    long size();

    /** Event {@code i}, the same every time it is asked for. */
    SecurityEvent event(long i);

    /** The first {@code events} events of {@link SyntheticAuth}. */
    static AuthStream synthetic(int sources, long seed, long events) {
        return new Synthetic(new SyntheticAuth(sources, seed), events);
    }

    /** {@link SyntheticAuth}, cut to a length. */
    final class Synthetic implements AuthStream {
        private static final long serialVersionUID = 1L;
        private final SyntheticAuth gen;
        private final long events;

        Synthetic(SyntheticAuth gen, long events) {
            this.gen = gen;
            this.events = events;
        }

        @Override
        public long size() {
            return events;
        }

        @Override
        public SecurityEvent event(long i) {
            return gen.event(i);
        }
    }
}
