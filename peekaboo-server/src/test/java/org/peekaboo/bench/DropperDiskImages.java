package org.peekaboo.bench;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.peekaboo.expansion.OneNoteFixtures;
import org.peekaboo.expansion.testing.DiskImages;

/**
 * Disk image droppers for the detection corpus, as Qakbot, IcedID and Bumblebee mailed them in 2022:
 * an ISO with a shortcut that starts a hidden DLL, an ISO with a JScript file, a floppy image with a
 * program, a VHD with a shortcut; and benign images of a document and a picture. The "programs" are
 * "MZ" and padding, the shortcuts name rundll32 and a file in the image, the script only names
 * example.invalid: nothing in them runs.
 */
final class DropperDiskImages {
    private static final String MALICIOUS = "malicious";
    /** Walked as a benign type of its own by the benchmark (benign/TYPE/). */
    static final String BENIGN = "benign/disk-image";
    private static final byte[] PDF = ("%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
            + "2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
            .getBytes(StandardCharsets.US_ASCII);

    private DropperDiskImages() {
    }

    /** The droppers, then the benign images. */
    static List<DropperCorpus.Sample> samples() {
        List<DropperCorpus.Sample> samples = new java.util.ArrayList<>(malicious());
        samples.addAll(benign());
        return samples;
    }

    static List<DropperCorpus.Sample> malicious() {
        byte[] shortcut = DropperFiles.shortcut("C:\\Windows\\System32\\rundll32.exe", "data\\update.dll,DllRegisterServer");
        return List.of(
                new DropperCorpus.Sample(MALICIOUS, "iso-lnk-hidden-dll.iso", DiskImages.iso(files(
                        "Invoice_2026-11.lnk", shortcut, "data/update.dll", DiskImages.fakeProgram()), true)),
                new DropperCorpus.Sample(MALICIOUS, "iso-js.iso", DiskImages.iso(files(
                        "Rechnung_2026-11.js", DropperFiles.JSCRIPT.getBytes(StandardCharsets.UTF_8)), true)),
                new DropperCorpus.Sample(MALICIOUS, "img-exe.img", DiskImages.fat12(files(
                        "Scan_0042 (2026-11-30).exe", DiskImages.fakeProgram()))),
                new DropperCorpus.Sample(MALICIOUS, "vhd-lnk.vhd", DiskImages.dynamicVhd(DiskImages.mbrDisk(
                        DiskImages.fat12(files("Open the invoice.lnk", shortcut, "data/update.dll",
                                DiskImages.fakeProgram()))), 64 * 1024)));
    }

    static List<DropperCorpus.Sample> benign() {
        return List.of(
                new DropperCorpus.Sample(BENIGN, "manual.iso", DiskImages.iso(files("Manual/Getting started.pdf", PDF,
                        "Manual/logo.png", OneNoteFixtures.png()), true)),
                new DropperCorpus.Sample(BENIGN, "photos.img", DiskImages.fat12(files("Holiday 2026/beach.png",
                        OneNoteFixtures.png(), "Holiday 2026/route.pdf", PDF))));
    }

    private static Map<String, byte[]> files(Object... pathsAndBytes) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (int i = 0; i < pathsAndBytes.length; i += 2) {
            files.put((String) pathsAndBytes[i], (byte[]) pathsAndBytes[i + 1]);
        }
        return files;
    }
}
