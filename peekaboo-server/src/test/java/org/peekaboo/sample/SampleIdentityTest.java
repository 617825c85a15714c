package org.peekaboo.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class SampleIdentityTest {
    private static final String TEST_SHA256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    @Test
    void matchesPeekabooAvTestVector() {
        String sha256 = HexFormat.of().formatHex(
                SampleIdentity.sha256().digest("test".getBytes(StandardCharsets.US_ASCII)));

        assertThat(sha256).isEqualTo(TEST_SHA256);
        assertThat(SampleIdentity.of(sha256, "test.py", "text/x-python", "inline"))
                .isEqualTo("39296b9e8c2ce1fba38a60fd9cc97ccf45464cf11bbc174f92658f213381229f");
    }

    @Test
    void everyDeclaredPartChangesTheIdentity() {
        String base = SampleIdentity.of(TEST_SHA256, "test.py", "text/x-python", "inline");

        assertThat(SampleIdentity.of(TEST_SHA256, "test.pl", "text/x-python", "inline")).isNotEqualTo(base);
        assertThat(SampleIdentity.of(TEST_SHA256, "test.py", "text/plain", "inline")).isNotEqualTo(base);
        assertThat(SampleIdentity.of(TEST_SHA256, "test.py", "text/x-python", "attachment")).isNotEqualTo(base);
        assertThat(SampleIdentity.of(TEST_SHA256.replace('9', '8'), "test.py", "text/x-python", "inline"))
                .isNotEqualTo(base);
    }
}
