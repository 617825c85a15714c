package org.peekaboo.rtf;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * A file wrapped by the OLE Packager ({@code Package} objects, {@code \x01Ole10Native} streams):
 * what Word shows as an icon and runs with the shell when it is double-clicked.
 *
 * @param label      the name shown under the icon
 * @param sourcePath where the file came from when it was packaged
 * @param tempPath   where the shell writes it before opening it
 * @param size       the size the package declares for the file
 * @param head       the file's first bytes (at most {@link #HEAD_BYTES})
 */
public record PackagedFile(String label, String sourcePath, String tempPath, long size, byte[] head) {
    public static final int HEAD_BYTES = 64;

    public PackagedFile {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(sourcePath, "sourcePath");
        Objects.requireNonNull(tempPath, "tempPath");
        head = head.clone();
    }

    /** The file name the shell uses: the temporary path's, else the source's, else the label. */
    public String fileName() {
        for (String path : new String[] {tempPath, sourcePath, label}) {
            String name = path.substring(Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/')) + 1).strip();
            if (!name.isEmpty()) {
                return name;
            }
        }
        return "";
    }

    /** Every name the package gives the file, lower case: droppers label an .exe "invoice.pdf". */
    public String[] names() {
        return new String[] {tempPath.toLowerCase(Locale.ROOT), sourcePath.toLowerCase(Locale.ROOT),
            label.toLowerCase(Locale.ROOT)};
    }

    public boolean isProgram() {
        return head.length >= 2 && head[0] == 'M' && head[1] == 'Z';
    }

    @Override
    public byte[] head() {
        return head.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PackagedFile that && label.equals(that.label) && sourcePath.equals(that.sourcePath)
                && tempPath.equals(that.tempPath) && size == that.size && Arrays.equals(head, that.head);
    }

    @Override
    public int hashCode() {
        return Objects.hash(label, sourcePath, tempPath, size, Arrays.hashCode(head));
    }

    @Override
    public String toString() {
        return "PackagedFile[" + fileName() + ", " + size + " bytes]";
    }
}
