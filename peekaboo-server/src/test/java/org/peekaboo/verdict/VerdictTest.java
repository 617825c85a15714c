package org.peekaboo.verdict;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class VerdictTest {

    @ParameterizedTest
    @CsvSource({
        "UNCHECKED, UNCHECKED",
        "UNKNOWN,   GOOD",
        "IGNORED,   GOOD",
        "GOOD,      GOOD",
        "FAILED,    UNCHECKED",
        "BAD,       BAD",
    })
    void mapsEveryResult(Result result, Verdict expected) {
        assertThat(Verdict.of(result)).isEqualTo(expected);
    }

    @Test
    void collectionIsBadIfAnyFileIsBad() {
        assertThat(Verdict.worst(List.of(Verdict.GOOD, Verdict.BAD, Verdict.UNCHECKED))).isEqualTo(Verdict.BAD);
    }

    @Test
    void collectionIsUncheckedIfAnyFileIsUncheckedAndNoneBad() {
        assertThat(Verdict.worst(List.of(Verdict.GOOD, Verdict.UNCHECKED, Verdict.GOOD)))
                .isEqualTo(Verdict.UNCHECKED);
    }

    @Test
    void collectionIsGoodOnlyIfAllFilesAreGood() {
        assertThat(Verdict.worst(List.of(Verdict.GOOD, Verdict.GOOD))).isEqualTo(Verdict.GOOD);
    }

    @Test
    void emptyCollectionIsNotClean() {
        assertThat(Verdict.worst(List.of())).isEqualTo(Verdict.UNCHECKED);
    }

    @ParameterizedTest
    @EnumSource(Verdict.class)
    void labelRoundTrips(Verdict verdict) {
        assertThat(Verdict.parse(verdict.label())).contains(verdict);
    }

    @Test
    void parseRefusesOtherWords() {
        assertThat(Verdict.parse("unknown")).isEmpty();
        assertThat(Verdict.parse("GOOD")).isEmpty();
    }
}
