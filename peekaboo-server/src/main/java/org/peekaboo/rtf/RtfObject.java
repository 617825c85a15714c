package org.peekaboo.rtf;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One {@code \object} group of an RTF document (or an {@code \objdata} found outside one).
 *
 * @param rtfClass     the text of its {@code \objclass} destination ("" when it has none)
 * @param controlWords the object's kind and update words present ({@code objemb}, {@code objautlink},
 *                     {@code objupdate}, …)
 * @param dataBytes    bytes decoded from its {@code \objdata}
 * @param ole1         the OLE1 object the data holds, when it starts like one
 * @param links        URLs, {@code file:} links and UNC paths found in the decoded data
 * @param problem      why the data could not be read as an object ("" when it could, or there is none)
 */
public record RtfObject(String rtfClass, Set<String> controlWords, long dataBytes, Optional<Ole1Object> ole1,
                        List<String> links, String problem) {
    public RtfObject {
        Objects.requireNonNull(rtfClass, "rtfClass");
        controlWords = Set.copyOf(controlWords);
        Objects.requireNonNull(ole1, "ole1");
        links = List.copyOf(links);
        Objects.requireNonNull(problem, "problem");
    }

    /** Every class name the object gives itself: in the RTF, in its OLE1 header, in its compound file. */
    public List<String> classNames() {
        List<String> names = new ArrayList<>();
        if (!rtfClass.isBlank()) {
            names.add(rtfClass.strip());
        }
        ole1.ifPresent(ole -> {
            if (!ole.className().isBlank()) {
                names.add(ole.className().strip());
            }
            ole.compound().ifPresent(compound -> {
                if (!compound.userType().isBlank()) {
                    names.add(compound.userType().strip());
                }
            });
        });
        return names;
    }
}
