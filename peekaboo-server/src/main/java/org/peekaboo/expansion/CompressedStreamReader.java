package org.peekaboo.expansion;

import java.io.IOException;
import java.io.InputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.lz4.FramedLZ4CompressorInputStream;
import org.apache.commons.compress.compressors.lzma.LZMACompressorInputStream;
import org.apache.commons.compress.compressors.snappy.FramedSnappyCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.apache.commons.compress.compressors.z.ZCompressorInputStream;
import org.peekaboo.sample.SampleContent;

/**
 * Unpacks a compressed stream (gzip, bzip2, xz, LZMA, .Z, LZ4, Snappy) into its one member, named
 * by {@link CompressedMemberName}. Concatenated streams (e.g. {@code cat a.gz b.gz}) are unpacked
 * whole, as gunzip does, so nothing hides behind the first one.
 */
final class CompressedStreamReader {

    void read(SampleContent content, ContainerFormat format, String name, ExpansionBudget budget,
              ArchiveMembers members) throws IOException {
        try (InputStream packed = content.openStream()) {
            if (format == ContainerFormat.GZIP) {
                readGzip(packed, content.size(), name, budget, members);
                return;
            }
            String path = CompressedMemberName.of(format, name, null);
            budget.countMember(path);
            try (InputStream in = open(format, packed)) {
                members.add(budget.copy(in, path, content.size()), path);
            }
        }
    }

    private static void readGzip(InputStream packed, long packedSize, String name, ExpansionBudget budget,
                                 ArchiveMembers members) throws IOException {
        try (GzipCompressorInputStream in = GzipCompressorInputStream.builder().setInputStream(packed)
                .setDecompressConcatenated(true).get()) {
            // The header of the first gzip member is read by now: it carries the original name.
            String path = CompressedMemberName.of(ContainerFormat.GZIP, name, in.getMetaData().getFileName());
            budget.countMember(path);
            members.add(budget.copy(in, path, packedSize), path);
        }
    }

    private static InputStream open(ContainerFormat format, InputStream packed) throws IOException {
        int limit = ArchiveReader.MEMORY_LIMIT_KIB;
        return switch (format) {
            case BZIP2 -> new BZip2CompressorInputStream(packed, true);
            case XZ -> new XZCompressorInputStream(packed, true, limit);
            case LZMA -> new LZMACompressorInputStream(packed, limit);
            case COMPRESS_Z -> new ZCompressorInputStream(packed, limit);
            case LZ4 -> new FramedLZ4CompressorInputStream(packed, true);
            case SNAPPY -> new FramedSnappyCompressorInputStream(packed);
            default -> throw new IllegalArgumentException(format + " is not a compressed stream");
        };
    }
}
