package org.peekaboo.expansion;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.peekaboo.sample.SampleContent;

/**
 * Takes the embedded files out of a OneNote section (.one): the droppers of 2023 hide an .hta, .bat,
 * .js or .lnk behind a "double click to view" picture, and each embedded file is judged as a sample
 * of its own. Names come from {@link OneNoteLayout#pairedNames()}, a best effort; a member without
 * a name is judged by its type. Never throws for what is in the content.
 */
final class OneNoteReader implements ContainerReader {

    @Override
    public Expansion read(SampleContent content, ContainerFormat format, String name, Passwords passwords,
                          ExpansionBudget budget) {
        ArchiveMembers members = new ArchiveMembers(ContainerFormat.ONENOTE);
        try (FileChannel file = FileChannel.open(content.file(), StandardOpenOption.READ)) {
            OneNoteLayout layout = OneNoteLayout.of(file, budget);
            List<String> names = layout.pairedNames();
            for (int i = 0; i < layout.blobs().size(); i++) {
                OneNoteLayout.Blob blob = layout.blobs().get(i);
                String path = names.get(i);
                budget.countMember(path);
                members.add(budget.copy(slice(file, blob), path, 0), path);
            }
            if (layout.problem() != null) {
                members.add(new Finding(Finding.Kind.UNREADABLE, "OneNote file is " + layout.problem()));
            }
            return members.expansion();
        } catch (Exception | StackOverflowError e) {
            return members.stoppedBy(e);
        }
    }

    /** The blob's bytes; not closed, as closing it would close the channel that other blobs still read. */
    private static InputStream slice(FileChannel file, OneNoteLayout.Blob blob) throws IOException {
        return new BoundedStream(Channels.newInputStream(file.position(blob.start())), blob.length());
    }

    /** At most {@code remaining} bytes of {@code in}. */
    private static final class BoundedStream extends InputStream {
        private final InputStream in;
        private long remaining;

        BoundedStream(InputStream in, long remaining) {
            this.in = in;
            this.remaining = remaining;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int read = in.read(buffer, offset, (int) Math.min(length, remaining));
            if (read > 0) {
                remaining -= read;
            }
            return read;
        }
    }
}
