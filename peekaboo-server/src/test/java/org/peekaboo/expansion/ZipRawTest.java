package org.peekaboo.expansion;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ZIPs no writer makes, written byte by byte: overlapping entries, methods Peekaboo cannot read. */
class ZipRawTest {
    private static final int DEFLATED = 8;

    @TempDir
    Path spoolDirectory;
    private ArchiveFixtures fixtures;

    @BeforeEach
    void setUp() {
        fixtures = new ArchiveFixtures(spoolDirectory);
    }

    @Test
    void overlappingEntriesAreStoppedByTheLimits() {
        // Many directory entries share one local file of 1 MiB of zeros, as in David Fifield's bombs.
        byte[] zeros = new byte[1024 * 1024];
        byte[] zip = zip(DEFLATED, deflate(zeros), crc(zeros), zeros.length, 500);
        ExpansionBudget budget = fixtures.budget(ArchiveFixtures.settings(1000, 20L * 1024 * 1024, List.of()));

        Expansion expansion = fixtures.read(zip, ContainerFormat.ZIP, "overlap.zip", Passwords.none(), budget);

        assertThat(expansion.members()).hasSize(20);
        assertThat(expansion.findings()).singleElement().satisfies(finding -> {
            assertThat(finding.kind()).isEqualTo(Finding.Kind.SIZE);
            assertThat(finding.detail()).contains("\"f20\"");
        });
        expansion.closeMembers();
    }

    @Test
    void entriesInMethodsWithoutAReaderAreUnsupportedNotFatal() {
        byte[] data = "not really compressed".getBytes(StandardCharsets.UTF_8);
        for (int method : new int[] {93, 14, 97, 98, 1234}) {
            byte[] zip = zip(method, data, crc(data), 1000, 1);

            Expansion expansion = fixtures.read(zip, ContainerFormat.ZIP, "odd.zip");

            assertThat(expansion.members()).as("method %d", method).isEmpty();
            assertThat(expansion.findings()).as("method %d", method).singleElement().satisfies(finding ->
                    assertThat(finding.kind()).isEqualTo(Finding.Kind.UNSUPPORTED));
        }
    }

    /** One local file at offset 0 with {@code data}, and {@code entries} directory entries all pointing at it. */
    static byte[] zip(int method, byte[] data, long crc, long size, int entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] localName = "f0".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer local = header(30 + localName.length);
        local.putInt(0x04034b50).putShort((short) 20).putShort((short) 0).putShort((short) method)
                .putInt(0).putInt((int) crc).putInt(data.length).putInt((int) size)
                .putShort((short) localName.length).putShort((short) 0).put(localName);
        out.writeBytes(local.array());
        out.writeBytes(data);
        int directoryOffset = out.size();
        for (int i = 0; i < entries; i++) {
            byte[] name = ("f" + i).getBytes(StandardCharsets.US_ASCII);
            ByteBuffer central = header(46 + name.length);
            central.putInt(0x02014b50).putShort((short) 20).putShort((short) 20).putShort((short) 0)
                    .putShort((short) method).putInt(0).putInt((int) crc).putInt(data.length).putInt((int) size)
                    .putShort((short) name.length).putShort((short) 0).putShort((short) 0).putShort((short) 0)
                    .putShort((short) 0).putInt(0).putInt(0).put(name);
            out.writeBytes(central.array());
        }
        int directorySize = out.size() - directoryOffset;
        ByteBuffer end = header(22);
        end.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) entries)
                .putShort((short) entries).putInt(directorySize).putInt(directoryOffset).putShort((short) 0);
        out.writeBytes(end.array());
        return out.toByteArray();
    }

    private static ByteBuffer header(int length) {
        return ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
    }

    static byte[] deflate(byte[] data) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        deflater.setInput(data);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        return out.toByteArray();
    }

    static long crc(byte[] data) {
        CRC32 crc = new CRC32();
        crc.update(data);
        return crc.getValue();
    }
}
