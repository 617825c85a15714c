package org.peekaboo.expansion;

import org.peekaboo.sample.SampleContent;

/**
 * Opens containers of some formats. Implementations never throw for what is in the content: a
 * corrupt, truncated, encrypted or oversized container gives the members read before the trouble
 * and a {@link Finding} saying what it was. They read every member through
 * {@link ExpansionBudget#copy}, which enforces the limits.
 */
interface ContainerReader {

    /**
     * @param content   the container's bytes
     * @param format    its format, one this reader opens
     * @param name      the container's declared name, or null (a compressed stream names its member after it)
     * @param passwords what to try on encrypted members
     * @param budget    the limits shared by the whole top-level sample
     */
    Expansion read(SampleContent content, ContainerFormat format, String name, Passwords passwords,
                   ExpansionBudget budget);
}
