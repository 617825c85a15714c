package org.peekaboo.rtf;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What an object's OLE2 compound file (native data starting {@code D0 CF 11 E0}) says about it.
 *
 * @param clsid    the root storage's class id, upper case without braces ("" when none is set)
 * @param streams  the names of the root's streams and storages
 * @param userType the user type of the {@code \x01CompObj} stream ("" when there is none)
 * @param packaged the file of an {@code \x01Ole10Native} stream, if there is one
 * @param links    URLs, {@code file:} links and UNC paths its moniker ({@code \x01Ole} stream) names
 * @param package_ the OOXML document of a {@code Package} stream (how Office 2007 and later embed
 *                 .docx, .docm, .xlsx, …), empty when there is none; the object's own array
 */
public record CompoundObject(String clsid, List<String> streams, String userType, Optional<PackagedFile> packaged,
                             List<String> links, byte[] package_) {
    public CompoundObject {
        Objects.requireNonNull(package_, "package_");
        Objects.requireNonNull(clsid, "clsid");
        streams = List.copyOf(streams);
        Objects.requireNonNull(userType, "userType");
        Objects.requireNonNull(packaged, "packaged");
        links = List.copyOf(links);
    }
}
