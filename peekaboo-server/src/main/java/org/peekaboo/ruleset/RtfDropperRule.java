package org.peekaboo.ruleset;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.peekaboo.rtf.CompoundObject;
import org.peekaboo.rtf.Ole1Object;
import org.peekaboo.rtf.PackagedFile;
import org.peekaboo.rtf.RawCompound;
import org.peekaboo.rtf.RtfLimits;
import org.peekaboo.rtf.RtfObject;
import org.peekaboo.rtf.RtfScan;
import org.peekaboo.rtf.RtfScanner;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Declares an RTF document bad when one of its OLE objects is what RTF droppers carry: an
 * Equation Editor object (CVE-2017-11882, CVE-2018-0802: the component has been obsolete since
 * 2018 and abused ever since), an OLE2Link or a linked object that fetches from the web, a file
 * or a share when the document opens (CVE-2017-0199), a packaged program, script or shortcut,
 * an embedded Office document whose macro is a dropper, or an object whose class name is
 * longer than Windows allows (malformed on purpose to exploit Word's object loader). Pictures,
 * tables and embedded sheets or drawings without such macros go on. An RTF document is
 * recognised by its first bytes, {@code {\rt}, as Word recognises it; on other files the rule
 * costs that look. Embedded documents are analysed by the {@code olereport} source's analysis
 * ({@link EmbeddedMacroAnalysis}), through a temporary file it needs.
 */
public record RtfDropperRule(RtfLimits limits, EmbeddedMacroAnalysis macros) implements Rule {
    public static final String NAME = "rtf_dropper";

    private static final Logger LOG = LoggerFactory.getLogger(RtfDropperRule.class);
    private static final Pattern EQUATION_CLASS = Pattern.compile("(?i)^equation\\.\\d+$");
    private static final Set<String> EQUATION_CLSIDS = Set.of("0002CE02-0000-0000-C000-000000000046",
            "0002CE03-0000-0000-C000-000000000046");
    private static final String OLE2LINK_CLSID = "00000300-0000-0000-C000-000000000046";
    private static final Set<String> LINK_WORDS = Set.of("objautlink", "objlink", "objupdate");
    /** What Windows runs, opens as a drive or installs when a packaged file is double-clicked. */
    private static final Pattern RUNNABLE = Pattern.compile(
            "(?i)\\.(?:exe|dll|scr|com|pif|cpl|js|jse|vbs|vbe|wsf|wsh|hta|ps1|bat|cmd|lnk|url|iso|img|vhdx?|msi|jar)"
                    + "[. ]*$");
    /** Windows limits COM class names (ProgIDs) to 39 characters; the header counts the terminator too. */
    private static final int MAX_CLASS_NAME_BYTES = 40;

    public RtfDropperRule {
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(macros, "macros");
    }

    /** With the default limits and the analysis of embedded documents the {@code olereport} {@code source} offers. */
    public RtfDropperRule(ReportSource<?> source) {
        this(RtfLimits.DEFAULT, EmbeddedMacroAnalysis.of(source));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RuleResult evaluate(SampleContext context) throws IOException {
        if (!RtfScanner.isRtf(context.sample().content().head().toByteArray())) {
            return RuleResult.proceed(NAME, Result.UNKNOWN, "The file is no RTF document");
        }
        RtfScan scan;
        try {
            scan = new RtfScanner(limits).scan(context.sample().content().file());
        } catch (InterruptedIOException e) {
            throw e;
        } catch (IOException e) {
            LOG.debug("RTF {} not readable: {}", context.sample().nameDeclared(), e.toString());
            return RuleResult.proceed(NAME, Result.UNKNOWN, "The RTF document cannot be read");
        }
        Set<String> findings = new LinkedHashSet<>();
        for (RtfObject object : scan.objects()) {
            findings.addAll(judge(object));
        }
        if (!findings.isEmpty()) {
            return RuleResult.stop(NAME, Result.BAD, "The file is an RTF document carrying "
                    + String.join("; ", findings));
        }
        if (!scan.problems().isEmpty()) {
            return RuleResult.proceed(NAME, Result.UNKNOWN, "The RTF document carries nothing suspicious as far as"
                    + " it was read (" + String.join(", ", scan.problems()) + ")");
        }
        return RuleResult.proceed(NAME, Result.UNKNOWN, "The RTF document carries no object that runs or fetches"
                + " anything");
    }

    private List<String> judge(RtfObject object) throws InterruptedIOException {
        List<String> findings = new ArrayList<>();
        List<String> names = object.classNames();
        Optional<Ole1Object> ole1 = object.ole1();
        Optional<CompoundObject> compound = ole1.flatMap(Ole1Object::compound);
        String clsid = compound.map(CompoundObject::clsid).orElse("");
        // A compound file POI cannot open (exploits corrupt it, Word opens it all the same) still shows its CLSIDs and names.
        byte[] unopened = ole1.filter(ole -> ole.isOle2() && ole.compound().isEmpty()).map(Ole1Object::nativeData)
                .orElse(new byte[0]);

        Optional<String> equation = names.stream().filter(name -> EQUATION_CLASS.matcher(name).matches()).findFirst()
                .or(() -> EQUATION_CLSIDS.contains(clsid) ? Optional.of("CLSID " + clsid) : Optional.empty())
                .or(() -> compound.filter(c -> c.streams().stream().anyMatch("Equation Native"::equalsIgnoreCase))
                        .map(c -> "an Equation Native stream"))
                .or(() -> EQUATION_CLSIDS.stream().filter(id -> RawCompound.holdsClsid(unopened, id)).findFirst()
                        .map(id -> "CLSID " + id + " in a damaged compound file"))
                .or(() -> RawCompound.holdsName(unopened, "Equation Native")
                        ? Optional.of("an Equation Native stream in a damaged compound file") : Optional.empty());
        if (equation.isPresent()) {
            findings.add("an Equation Editor object (" + equation.get() + "), the target of CVE-2017-11882 and"
                    + " CVE-2018-0802 exploits");
        }
        ole1.filter(ole -> ole.classNameLength() > MAX_CLASS_NAME_BYTES).ifPresent(ole -> findings.add(
                "an OLE object whose class name is " + ole.classNameLength() + " bytes long, longer than any Windows"
                        + " class name, as in exploits of Word's object loader"));

        // Word follows the link of a linked object, or the moniker of an embedded one; a URL in a
        // sheet's cells or a document's text is no link Word opens by itself.
        boolean linked = object.controlWords().contains("objautlink") || object.controlWords().contains("objlink")
                || ole1.map(ole -> ole.formatId() == Ole1Object.LINKED).orElse(false);
        List<String> links = new ArrayList<>(linked ? object.links() : List.of());
        compound.ifPresent(c -> c.links().stream().filter(link -> !links.contains(link)).forEach(links::add));
        String target = links.isEmpty() ? "" : " to " + shorten(links.get(0));
        boolean ole2Link = names.stream().anyMatch("OLE2Link"::equalsIgnoreCase) || OLE2LINK_CLSID.equals(clsid)
                || RawCompound.holdsClsid(unopened, OLE2LINK_CLSID);
        if (ole2Link) {
            findings.add("an OLE2Link object" + target + ", which fetches and opens what it names when the document"
                    + " opens (CVE-2017-0199)");
        } else if (!links.isEmpty() && (object.controlWords().stream().anyMatch(LINK_WORDS::contains)
                || ole1.map(ole -> ole.formatId() == Ole1Object.LINKED).orElse(false))) {
            String word = object.controlWords().stream().filter(LINK_WORDS::contains).sorted().findFirst()
                    .orElse("objlink");
            findings.add("a linked object (\\" + word + ")" + target + ", which Word fetches when the document"
                    + " opens");
        }

        Optional<PackagedFile> packaged = ole1.flatMap(Ole1Object::packaged)
                .or(() -> compound.flatMap(CompoundObject::packaged));
        packaged.ifPresent(file -> {
            if (file.isProgram()) {
                findings.add("the packaged program \"" + file.fileName() + "\" (an MZ header)");
            } else if (Arrays.stream(file.names()).anyMatch(name -> RUNNABLE.matcher(name).find())) {
                findings.add("the packaged file \"" + file.fileName() + "\", a program, script or shortcut by its"
                        + " name");
            }
        });

        if (equation.isEmpty() && ole1.map(Ole1Object::isOle2).orElse(false)) {
            macroDropper(ole1.get().nativeData(), names).ifPresent(findings::add);
            // Office 2007 and later embed their documents as an OOXML package in a "Package" stream.
            byte[] ooxml = compound.map(CompoundObject::package_).orElse(new byte[0]);
            if (ooxml.length > 0) {
                macroDropper(ooxml, names).ifPresent(findings::add);
            }
        }
        return findings;
    }

    /** Hands an embedded OLE2 document to the macro analysis, through a temporary file it needs. */
    private Optional<String> macroDropper(byte[] document, List<String> names) throws InterruptedIOException {
        Path file = null;
        try {
            file = Files.createTempFile("peekaboo-rtf-object-", ".bin");
            Files.write(file, document);
            Optional<? extends MacroReport> analysed = macros.analyze(file);
            if (analysed.isEmpty()) {
                return Optional.empty();
            }
            MacroReport report = analysed.get();
            List<String> triggers = report.autoexecTriggers();
            List<String> behaviours = new ArrayList<>();
            for (MacroBehaviour behaviour : MacroBehaviour.values()) {
                List<String> indicators = report.indicators(behaviour);
                if (!indicators.isEmpty()) {
                    behaviours.add(behaviour.phrase() + " (" + String.join(", ", indicators) + ")");
                }
            }
            if (triggers.isEmpty() || behaviours.isEmpty()) {
                return Optional.empty();
            }
            String kind = names.isEmpty() ? "" : " (" + names.get(0) + ")";
            return Optional.of("an embedded Office document" + kind + " with a macro that runs by itself ("
                    + String.join(", ", triggers) + ") and " + String.join(", ", behaviours));
        } catch (InterruptedIOException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // An object Office cannot open cannot run its macros either: nothing to judge.
            LOG.debug("Object embedded in RTF not analysable: {}", e.toString());
            return Optional.empty();
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    LOG.warn("Cannot delete temporary file {}: {}", file, e.toString());
                }
            }
        }
    }

    private static String shorten(String link) {
        return link.length() <= 120 ? link : link.substring(0, 120) + "…";
    }
}
