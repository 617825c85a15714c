package org.peekaboo.expansion;

import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import org.peekaboo.sample.SampleContent;

/**
 * Opens disk images ({@link DiskImage}): each file in it becomes a member named by its path in the
 * image, so a shortcut, script or macro document inside is judged like a ZIP member. What stopped the
 * listing (a damaged image, VHDX, UDF) is reported as the container's damage. Never throws for what is
 * in the content.
 */
final class DiskImageReader implements ContainerReader {

    @Override
    public Expansion read(SampleContent content, ContainerFormat format, String name, Passwords passwords,
                          ExpansionBudget budget) {
        ArchiveMembers members = new ArchiveMembers(ContainerFormat.DISK_IMAGE);
        try (FileChannel channel = FileChannel.open(content.file(), StandardOpenOption.READ)) {
            budget.checkTime();
            DiskImage.Files files = DiskImage.files(DiskSource.of(channel));
            for (DiskFile file : files.files()) {
                budget.countMember(file.path());
                if (!file.readable()) {
                    members.add(new Finding(Finding.Kind.UNREADABLE, files.kind() + " lists \"" + file.path()
                            + "\", whose content Peekaboo cannot read"));
                    continue;
                }
                try (InputStream in = file.stream()) {
                    members.add(budget.copy(in, file.path(), 0), file.path());
                } catch (Exception e) {
                    if (ArchiveMembers.stops(e)) {
                        throw e;
                    }
                    members.add(members.findingFor(e, "at \"" + file.path() + "\""));
                }
            }
            if (files.problem() != null) {
                members.add(new Finding(Finding.Kind.UNREADABLE, "the " + files.kind() + " cannot be read completely: "
                        + files.problem()));
            }
            return members.expansion();
        } catch (Exception | StackOverflowError e) {
            return members.stoppedBy(e);
        }
    }
}
