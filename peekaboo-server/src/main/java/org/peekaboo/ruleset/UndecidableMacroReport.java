package org.peekaboo.ruleset;

import java.util.List;
import java.util.Objects;

/**
 * The macro analysis of a document that can never be analysed: no macros are known, and the
 * Office rules answer from {@link #failure()} with their {@link UndecidableDocuments}.
 */
public record UndecidableMacroReport(UndecidableDocumentException failure) implements MacroReport {
    public UndecidableMacroReport {
        Objects.requireNonNull(failure, "failure");
    }

    @Override
    public boolean hasOfficeMacros() {
        return false;
    }

    @Override
    public String vbaCode() {
        return "";
    }

    @Override
    public boolean hasMacroCode() {
        return false;
    }

    @Override
    public boolean hasXlmMacros() {
        return false;
    }

    @Override
    public String xlmCode() {
        return "";
    }

    @Override
    public List<String> autoexecTriggers() {
        return List.of();
    }

    @Override
    public List<String> indicators(MacroBehaviour behaviour) {
        return List.of();
    }
}
