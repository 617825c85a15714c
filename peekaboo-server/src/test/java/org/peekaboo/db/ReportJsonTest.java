package org.peekaboo.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;

class ReportJsonTest {
    private final ReportJson json = new ReportJson();

    @Test
    void writesTheDocumentedShape() {
        String written = json.write(List.of(RuleResult.proceed("known", Result.UNKNOWN, "never seen"),
                RuleResult.stop("cortex", Result.BAD, "malware")), reason -> reason);

        assertThat(written).isEqualTo("[{\"rule\":\"known\",\"result\":\"unknown\",\"reason\":\"never seen\","
                + "\"further_analysis\":true},{\"rule\":\"cortex\",\"result\":\"bad\",\"reason\":\"malware\","
                + "\"further_analysis\":false}]");
    }

    @Test
    void shortensReasonsAsTold() {
        String written = json.write(List.of(RuleResult.stop("cortex", Result.BAD, "a long reason")),
                reason -> reason.substring(0, 6));

        assertThat(json.read(written)).containsExactly(RuleResult.stop("cortex", Result.BAD, "a long"));
    }

    @Test
    void readsAnEmptyReportAndToleratesFieldsItDoesNotKnow() {
        assertThat(json.read("[]")).isEmpty();
        assertThat(json.read("[{\"rule\":\"known\",\"result\":\"GOOD\",\"reason\":\"r\",\"further_analysis\":true,"
                + "\"duration_ms\":12}]")).containsExactly(RuleResult.proceed("known", Result.GOOD, "r"));
    }

    @Test
    void refusesWhatIsNoReportSayingWhy() {
        assertThatThrownBy(() -> json.read("{\"rule\":"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("report is not valid JSON");
        assertThatThrownBy(() -> json.read("null"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("report is JSON null instead of an array");
        assertThatThrownBy(() -> json.read("[{\"result\":\"bad\",\"reason\":\"r\"}]"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("report entry 0 lacks rule or reason");
        assertThatThrownBy(() -> json.read("[{\"rule\":\"known\",\"result\":\"evil\",\"reason\":\"r\"}]"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("report entry known has unknown result 'evil'");
    }
}
