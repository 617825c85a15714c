package org.peekaboo.expansion;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ContainerFormatTest {

    @Test
    void archivesAndStreamsByTheirDetectedType() {
        assertThat(ContainerFormat.of("application/zip", null)).contains(ContainerFormat.ZIP);
        assertThat(ContainerFormat.of("application/x-7z-compressed", "application/octet-stream"))
                .contains(ContainerFormat.SEVEN_Z);
        assertThat(ContainerFormat.of("application/gzip", null)).contains(ContainerFormat.GZIP);
        assertThat(ContainerFormat.of("application/x-gzip", null)).contains(ContainerFormat.GZIP);
        assertThat(ContainerFormat.of("application/x-tar", null)).contains(ContainerFormat.TAR);
        assertThat(ContainerFormat.of("application/x-xz", null)).contains(ContainerFormat.XZ);
        assertThat(ContainerFormat.of("APPLICATION/X-BZIP2; foo=bar", null)).contains(ContainerFormat.BZIP2);
        assertThat(ContainerFormat.ZIP.archive()).isTrue();
        assertThat(ContainerFormat.GZIP.archive()).isFalse();
    }

    @Test
    void documentsThatAreZipsInsideAreNotOpened() {
        assertThat(ContainerFormat.of("application/x-tika-ooxml", "application/zip")).isEmpty();
        assertThat(ContainerFormat.of("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                null)).isEmpty();
        assertThat(ContainerFormat.of("application/java-archive", null)).isEmpty();
        assertThat(ContainerFormat.of("application/vnd.oasis.opendocument.text", null)).isEmpty();
    }

    @Test
    void rarIsNotOpened() {
        assertThat(ContainerFormat.of("application/x-rar-compressed", null)).isEmpty();
        assertThat(ContainerFormat.of("application/vnd.rar", null)).isEmpty();
    }

    @Test
    void aMessageByContentOrDeclaredWhenTheContentLooksLikeText() {
        assertThat(ContainerFormat.of("message/rfc822", null)).contains(ContainerFormat.MESSAGE);
        assertThat(ContainerFormat.of("text/plain", "message/rfc822")).contains(ContainerFormat.MESSAGE);
        assertThat(ContainerFormat.of(null, "Message/RFC822")).contains(ContainerFormat.MESSAGE);
        // Exim's copy for its clamd scanner starts with an mbox "From " line.
        assertThat(ContainerFormat.of("application/mbox", null)).contains(ContainerFormat.MESSAGE);
        // A declared type does not make a PE file a message, nor a zip anything but a zip.
        assertThat(ContainerFormat.of("application/x-msdownload", "message/rfc822")).isEmpty();
        assertThat(ContainerFormat.of("text/plain", "application/zip")).isEmpty();
    }
}
