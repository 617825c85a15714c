package org.peekaboo.office;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.peekaboo.ruleset.ReportObject.UnknownAttributeException;

class OleReportTest {
    private final OleReport report = new OleReport(true, "Sub AutoOpen()\nEnd Sub",
            List.of("AutoOpen: Runs when the Word document is opened"), List.of());

    @Test
    void expressionsSeePeekabooAvsAttributeNames() throws Exception {
        assertThat(report.attributeNames()).containsExactlyInAnyOrder("has_office_macros", "vba_code",
                "has_autoexec", "is_suspicious", "detected_autoexec", "detected_suspicious");
        assertThat(report.attribute("has_office_macros")).isEqualTo(true);
        assertThat(report.attribute("vba_code")).isEqualTo("Sub AutoOpen()\nEnd Sub");
        assertThat(report.attribute("has_autoexec")).isEqualTo(true);
        assertThat(report.attribute("is_suspicious")).isEqualTo(false);
        assertThat(report.attribute("detected_autoexec")).isEqualTo(
                List.of("AutoOpen: Runs when the Word document is opened"));
        assertThat(report.attribute("detected_suspicious")).isEqualTo(List.of());
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
