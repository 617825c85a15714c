package org.peekaboo.listener;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConnectionCounterTest {
    private final ConnectionCounter counter = new ConnectionCounter(new ConnectionLimits(3, 2));

    @Test
    void oneClientGetsNoMoreThanItsShare() {
        assertThat(counter.admit("uid 110")).isEmpty();
        assertThat(counter.admit("uid 110")).isEmpty();

        assertThat(counter.admit("uid 110")).get().asString().startsWith("Too many connections from this client");
        assertThat(counter.admit("uid 0")).isEmpty();
        assertThat(counter.open()).isEqualTo(3);
    }

    @Test
    void theTotalCountsEveryClientAndARefusalTakesNoPlace() {
        counter.admit("192.0.2.1");
        counter.admit("192.0.2.2");
        counter.admit("192.0.2.3");

        assertThat(counter.admit("192.0.2.4")).get().asString().startsWith("Too many connections (limit 3");
        assertThat(counter.open()).isEqualTo(3);
        counter.release("192.0.2.1");
        assertThat(counter.admit("192.0.2.4")).isEmpty();
    }

    @Test
    void aReleasedConnectionFreesItsClientsPlace() {
        counter.admit("192.0.2.1");
        counter.admit("192.0.2.1");
        counter.release("192.0.2.1");

        assertThat(counter.admit("192.0.2.1")).isEmpty();
        counter.release("192.0.2.1");
        counter.release("192.0.2.1");
        assertThat(counter.open()).isZero();
    }

    @Test
    void theOpenFileLimitIsReadFromProcLimits() {
        assertThat(OpenFileLimit.parse(java.util.List.of(
                "Limit                     Soft Limit           Hard Limit           Units",
                "Max open files            1024                 524288               files")))
                .hasValue(1024);
        assertThat(OpenFileLimit.parse(java.util.List.of("Max open files            unlimited  unlimited  files")))
                .isEmpty();
        assertThat(OpenFileLimit.soft()).isPresent();
    }
}
