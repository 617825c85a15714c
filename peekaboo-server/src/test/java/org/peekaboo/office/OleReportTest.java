package org.peekaboo.office;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.peekaboo.ruleset.MacroBehaviour;
import org.peekaboo.ruleset.ReportObject.UnknownAttributeException;

class OleReportTest {
    private final OleReport report = new OleReport(true, true, false, "Sub AutoOpen()\nEnd Sub", "",
            List.of("AutoOpen: Runs when the Word document is opened"), List.of("Shell: Runs a program"),
            Map.of(MacroBehaviour.EXECUTION, List.of("Shell: Runs a program")));

    @Test
    void expressionsSeePeekabooAvsAttributeNames() throws Exception {
        assertThat(report.attributeNames()).containsSubsequence("has_office_macros", "vba_code",
                "has_autoexec", "is_suspicious", "detected_autoexec", "detected_suspicious");
        assertThat(report.attribute("has_office_macros")).isEqualTo(true);
        assertThat(report.attribute("vba_code")).isEqualTo("Sub AutoOpen()\nEnd Sub");
        assertThat(report.attribute("has_autoexec")).isEqualTo(true);
        assertThat(report.attribute("is_suspicious")).isEqualTo(true);
        assertThat(report.attribute("detected_autoexec")).isEqualTo(
                List.of("AutoOpen: Runs when the Word document is opened"));
        assertThat(report.attribute("detected_suspicious")).isEqualTo(List.of("Shell: Runs a program"));
    }

    @Test
    void theIndicatorsAreListedByBehaviour() throws Exception {
        assertThat(report.attributeNames()).contains("has_macro_code", "has_xlm_macros", "detected_execution",
                "detected_download", "detected_file_write", "detected_code_loading", "detected_obfuscation");
        assertThat(report.attribute("has_macro_code")).isEqualTo(true);
        assertThat(report.attribute("has_xlm_macros")).isEqualTo(false);
        assertThat(report.attribute("xlm_code")).isEqualTo("");
        assertThat(report.attribute("detected_execution")).isEqualTo(List.of("Shell: Runs a program"));
        assertThat(report.attribute("detected_download")).isEqualTo(List.of());
        assertThat(report.autoexecTriggers()).containsExactly("AutoOpen");
        assertThat(report.indicators(MacroBehaviour.EXECUTION)).containsExactly("Shell");
    }

    @Test
    void theSingularNameOfPeekabooAvsDocsIsUnknown() {
        assertThatThrownBy(() -> report.attribute("has_office_macro"))
                .isInstanceOf(UnknownAttributeException.class)
                .hasMessage("olereport has no attribute 'has_office_macro'");
    }

    @Test
    void aFileWithoutMacrosHasEmptySourceAndLists() throws Exception {
        assertThat(OleReport.NO_MACROS.attribute("vba_code")).isEqualTo("");
        assertThat(OleReport.NO_MACROS.attribute("has_office_macros")).isEqualTo(false);
        assertThat(OleReport.NO_MACROS.hasAutoexec()).isFalse();
    }
}
