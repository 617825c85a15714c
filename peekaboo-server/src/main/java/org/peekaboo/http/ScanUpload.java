package org.peekaboo.http;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A {@code POST /v1/scan} whose file is spooled completely, passed from the upload handler to
 * the API handler.
 *
 * @param file               the spooled content, owned by the receiver from now on
 * @param name               the declared file name, or null
 * @param type               the declared media type without parameters, or null
 * @param contentDisposition the {@code X-Content-Disposition} header, or null
 * @param keepAlive          whether the connection stays open after the answer
 */
record ScanUpload(Path file, String name, String type, String contentDisposition, boolean keepAlive) {
    ScanUpload {
        Objects.requireNonNull(file, "file");
    }
}
