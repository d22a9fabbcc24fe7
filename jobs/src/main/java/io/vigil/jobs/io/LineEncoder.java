package io.vigil.jobs.io;

import java.io.Serializable;

/**
 * The domain-to-wire mapping a job gives a line-oriented sink: one element to one line of text
 * (without the line terminator). Sinks know nothing of what an element is.
 */
@FunctionalInterface
public interface LineEncoder<T> extends Serializable {
    /** The element's line, or {@code null} to write nothing for it. */
    String encode(T element);
}
