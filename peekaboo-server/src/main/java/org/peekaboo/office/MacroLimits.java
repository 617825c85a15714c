package org.peekaboo.office;

/**
 * Bounds on the work one document may cause, so that a hostile document costs a worker a
 * bounded amount of time and memory instead of exhausting the daemon. A document beyond a
 * limit cannot be judged: the Office rules give it their {@code unreadable_result} at once.
 *
 * @param maxOle2Bytes     largest OLE2 file (.doc, .xls, .ppt) opened; mail gateways rarely
 *                         accept mails above 50 MiB, so larger files are not worth the risk
 * @param maxPartBytes     largest part inflated from an OOXML (zip) document into memory: a
 *                         vbaProject.bin, an embedded OLE object, [Content_Types].xml or
 *                         workbook.xml; real VBA projects stay far below it, zip bombs do not
 * @param maxInflateRatio  highest inflated-to-compressed ratio accepted for such a part once it
 *                         exceeds 1 MiB (Office parts compress about 3 to 20 times, bombs by
 *                         a thousand); the same check as Apache POI's ZipSecureFile
 * @param maxZipEntries    most entries looked at in one zip
 * @param maxVbaBytes      most decompressed VBA source bytes of one document; VBA compresses
 *                         up to about 700:1, so this bounds memory where the file size cannot
 * @param maxStorageDepth  deepest nesting of OLE2 storages walked (Office nests a few levels)
 */
public record MacroLimits(long maxOle2Bytes, int maxPartBytes, int maxInflateRatio, int maxZipEntries,
                          int maxVbaBytes, int maxStorageDepth) {
    public static final MacroLimits DEFAULT = new MacroLimits(64L << 20, 32 << 20, 100, 20_000, 8 << 20, 32);

    public MacroLimits {
        if (maxOle2Bytes <= 0 || maxPartBytes <= 0 || maxInflateRatio <= 0 || maxZipEntries <= 0
                || maxVbaBytes <= 0 || maxStorageDepth <= 0) {
            throw new IllegalArgumentException("macro analysis limits must be positive");
        }
    }
}
