package org.peekaboo.ruleset.expression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.peekaboo.ruleset.testing.FakeReport;
import org.peekaboo.verdict.Result;

/** The meaning of every literal and operator, shown by the value expressions evaluate to. */
class EvaluatorTest {
    private final Map<String, Object> identifiers = new HashMap<>();
    private final List<String> resolved = new ArrayList<>();

    @ParameterizedTest(name = "{0}  =>  {1}")
    @CsvSource(delimiterString = "=>", quoteCharacter = '`', textBlock = """
            True                     => True
            False                    => False
            None                     => None
            42                       => 42
            4.25                     => 4.25
            'single'                 => 'single'
            "double"                 => 'double'
            'it\\'s'                 => 'it's'
            "say \\"hi\\""           => 'say "hi"'
            'back\\\\slash'          => 'back\\slash'
            bad                      => bad
            fail                     => failed
            good                     => good
            ignore                   => ignored
            unknown                  => unknown
            /a\\.b/                  => /a\\.b/
            []                       => []
            [1, 'a', None, 2.5]      => [1, 'a', None, 2.5]
            {}                       => set()
            {1, None, 2}             => {1, 2}
            {1, 1.0, True}           => {1}
            [[1], {2}]               => [[1], {2}]
            """)
    void literals(String expression, String expected) throws Exception {
        assertThat(Values.repr(evaluate(expression))).isEqualTo(expected);
    }

    @Test
    void stringEscapesForWhitespace() throws Exception {
        assertThat(evaluate("'a\\tb\\nc\\rd\\fe\\x'")).isEqualTo("a\tb\nc\rd\fex");
    }

    @ParameterizedTest(name = "{0}  =>  {1}")
    @CsvSource(delimiterString = "=>", quoteCharacter = '`', textBlock = """
            1 + 2 * 3                => 7
            (1 + 2) * 3              => 9
            10 - 4 - 3               => 3
            100 / 10 / 5             => 2.0
            7 / 2                    => 3.5
            6 / 3                    => 2.0
            7 // 2                   => 3
            -7 // 2                  => -4
            7.5 // 2                 => 3.0
            7 % 3                    => 1
            -7 % 3                   => 2
            7 % -3                   => -2
            -7.5 % 2                 => 0.5
            2 * 3 % 4                => 2
            2 ** 10                  => 1024
            2 ** 3 ** 2              => 512
            -2 ** 2                  => -4
            2 ** (-1)                => 0.5
            2.0 ** 3                 => 8.0
            (-1) ** 5                => -1
            0 ** 0                   => 1
            1 + 2.5                  => 3.5
            True + True              => 2
            +3                       => 3
            -(2.5)                   => -2.5
            --3                      => 3
            ~5                       => -6
            1 << 4                   => 16
            -16 >> 2                 => -4
            1 >> 70                  => 0
            1 + 6 >> 1               => 3
            6 & 3                    => 2
            6 | 3                    => 7
            6 ^ 3                    => 5
            1 | 2 ^ 3 & 4            => 3
            True & False             => False
            True | False             => True
            'a' + 'b'                => 'ab'
            'ab' * 2                 => 'abab'
            3 * 'x'                  => 'xxx'
            'x' * -1                 => ''
            [1] + [2]                => [1, 2]
            [0] * 3                  => [0, 0, 0]
            """)
    void arithmetic(String expression, String expected) throws Exception {
        assertThat(Values.repr(evaluate(expression))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}  =>  {1}")
    @CsvSource(delimiterString = "=>", quoteCharacter = '`', textBlock = """
            {1, 2} | {2, 3}          => {1, 2, 3}
            {1, 2} & {2, 3}          => {2}
            {1, 2} ^ {2, 3}          => {1, 3}
            {1, 2} - {2}             => {1}
            {1} - {1}                => set()
            {1} <= {1, 2}            => True
            {1, 2} <= {1, 2}         => True
            {1, 2} < {1, 2}          => False
            {1} < {1, 2}             => True
            {3} <= {1, 2}            => False
            {1, 2} > {1}             => True
            {1, 2} >= {3}            => False
            {1, 2} isdisjoint {3}    => True
            {1, 2} isdisjoint [2]    => False
            {} isdisjoint {1}        => True
            {1} == {1.0}             => True
            {1, 2} == {2, 1}         => True
            [1, 2] == [2, 1]         => False
            [1] == {1}               => False
            """)
    void sets(String expression, String expected) throws Exception {
        assertThat(Values.repr(evaluate(expression))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}  =>  {1}")
    @CsvSource(delimiterString = "=>", quoteCharacter = '`', textBlock = """
            1 < 2 < 3                => True
            1 < 3 < 2                => False
            3 > 2 == 2               => True
            1 <= 1 >= 1 != 2         => True
            1 == 1.0                 => True
            True == 1                => True
            'a' == 1                 => False
            None == 0                => False
            'a' != 'b'               => True
            'abc' < 'abd'            => True
            'b' > 'abc'              => True
            [1, 2] < [1, 3]          => True
            [1, 2] < [1, 2, 0]       => True
            bad > fail               => True
            unknown < unknown        => False
            unknown <= unknown       => True
            ignore <= good           => True
            good == good             => True
            None is None             => True
            1 is not None            => True
            None is not None         => False
            True is True             => True
            bad is bad               => True
            bad is not good          => True
            'a' in ['a', 'b']        => True
            'c' not in ['a']         => True
            'a' not in ['a']         => False
            'ell' in 'hello'         => True
            1 in {1.0}               => True
            None in [None]           => True
            None in {None}           => False
            'a' in None              => False
            'a' not in None          => False
            """)
    void comparisons(String expression, String expected) throws Exception {
        assertThat(Values.repr(evaluate(expression))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}  =>  {1}")
    @CsvSource(delimiterString = "=>", quoteCharacter = '`', textBlock = """
            True and False           => False
            True and True and 1      => True
            1 and 'x'                => True
            0 or ''                  => False
            0 or 'x'                 => True
            None or [] or {}         => False
            not 0                    => True
            not not 'a'              => True
            not []                   => True
            True or False and False  => True
            False and True or True   => True
            not 1 == 2               => True
            not 1 in [1]             => False
            1 < 2 and 2 < 1          => False
            """)
    void logic(String expression, String expected) throws Exception {
        assertThat(Values.repr(evaluate(expression))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}  =>  {1}")
    @CsvSource(delimiterString = "=>", quoteCharacter = '`', textBlock = """
            /ell/ in 'hello'                 => True
            'hello' in /ell/                 => True
            /^ell/ in 'hello'                => False
            /ell/ == 'hello'                 => False
            /h.*o/ == 'hello'                => True
            'hello' == /h.*o/                => True
            /h.*o/ != 'hello'                => False
            'hello' != /x/                   => True
            /h.*o/ == 'hello\\n'             => False
            /ell/ == None                    => False
            /ell/ != None                    => True
            /ell/ in None                    => False
            /ell/ not in None                => False
            /^b/ in ['abc', 'bcd']           => True
            /^b/ in {'abc'}                  => False
            /b/ == ['abc', 'b']              => True
            ['abc', 'b'] == /b/              => True
            /a/ in ['x', None]               => False
            [/x/, /b.*/] == 'bcd'            => True
            [/x/, /y/] == 'bcd'              => False
            {/a/, /b/} == ['zz', 'b']        => True
            'bcd' in [/x/, /c/]              => True
            'bcd' in [/x/, /y/]              => False
            [/x/, /c/] in 'bcd'              => True
            [/x/, /c/] in ['a', 'xyz']       => True
            /smime.p7[mcs]/ == 'smime.p7s'   => True
            /smime.p7[mcs]/ == 'smime.p7z'   => False
            /a\\/b/ == 'a/b'                 => True
            /\\d+/ == '123'                  => True
            /(?P<n>a)b/ == 'ab'              => True
            /a|b/ == 'xb'                    => False
            /a/ == /a/                       => True
            /a/ == /b/                       => False
            {/a/, /a/} == {/a/}              => True
            """)
    void regularExpressions(String expression, String expected) throws Exception {
        assertThat(Values.repr(evaluate(expression))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}  fails: {1}")
    @CsvSource(delimiterString = "=>", quoteCharacter = '`', textBlock = """
            'a' - 1                  => unsupported operand types for -: 'str' and 'int'
            'a' + 1                  => unsupported operand types for +: 'str' and 'int'
            {1} + {2}                => unsupported operand types for +: 'set' and 'set'
            None + 1                 => unsupported operand types for +: 'None' and 'int'
            1 / 0                    => division by zero
            1 // 0                   => integer division or modulo by zero
            1 % 0                    => integer division or modulo by zero
            1.5 % 0                  => modulo by zero
            0 ** (-1)                => 0 cannot be raised to a negative power
            (-8) ** 0.5              => a negative number raised to a fractional power is complex
            'a' < 1                  => '<' is not supported between 'str' and 'int'
            None < 1                 => '<' is not supported between 'None' and 'int'
            good < 1                 => '<' is not supported between 'result' and 'int'
            {[1]}                    => unhashable type: 'list' cannot be a set member
            [1] isdisjoint [1]       => isdisjoint needs a set on the left, not 'list'
            {1} isdisjoint 1         => isdisjoint needs a list or set on the right, not 'int'
            1 in 1                   => 'in' needs a str, list or set on the right, not 'int'
            1 in 'a'                 => 'in <str>' requires a str on the left, not 'int'
            /a/ == 1                 => regular expression /a/ cannot match a 'int'
            /a/ in [1]               => regular expression /a/ cannot match a 'int'
            9223372036854775807 + 1  => integer overflow
            2 ** 64                  => integer overflow
            1 << 64                  => integer overflow
            'ab' * 1000000           => repeating a str of length 2 1000000 times exceeds 1048576 elements
            ~1.5                     => bad operand type for unary ~: 'float'
            -'a'                     => bad operand type for unary -: 'str'
            1 >> -1                  => negative shift count
            """)
    void typeErrorsFailTheEvaluation(String expression, String message) {
        assertThatThrownBy(() -> evaluate(expression))
                .isInstanceOf(EvaluationException.class)
                .hasMessage(message);
    }

    @Test
    void pathsLookUpAttributesOfReports() throws Exception {
        FakeReport fileInfo = new FakeReport("FileInfoReport").with("md5sum", "abc");
        identifiers.put("sample", new FakeReport("sample").with("file_size", 100L).with("type_declared", null)
                .with("count", 5).with("ratio", 0.5f).with("names", List.of("a", "b"))
                .with("types", new LinkedHashSet<>(List.of("text/plain", "text/html"))));
        identifiers.put("cortexreport", new FakeReport("cortexreport").with("FileInfoReport", fileInfo));

        assertThat(evaluate("sample.file_size > 10")).isEqualTo(true);
        assertThat(evaluate("sample.type_declared is None")).isEqualTo(true);
        assertThat(evaluate("cortexreport.FileInfoReport.md5sum")).isEqualTo("abc");
        assertThat(evaluate("cortexreport . FileInfoReport . md5sum")).isEqualTo("abc");
        assertThat(evaluate("sample.count + 1")).isEqualTo(6L);
        assertThat(evaluate("sample.ratio * 2")).isEqualTo(1.0);
        assertThat(evaluate("'b' in sample.names")).isEqualTo(true);
        assertThat(evaluate("sample.types <= {'text/plain', 'text/html', 'x'}")).isEqualTo(true);
        assertThat(evaluate("{sample.type_declared} | sample.types")).isEqualTo(evaluate("sample.types"));
        assertThat(evaluate("cortexreport.FileInfoReport")).isSameAs(fileInfo);
    }

    @Test
    void lookingIntoAPlainValueOrAMissingAttributeFails() {
        identifiers.put("sample", new FakeReport("sample").with("type_declared", null).with("file_size", 1L));

        assertThatThrownBy(() -> evaluate("sample.type_declared.x"))
                .isInstanceOf(EvaluationException.class)
                .hasMessage("sample.type_declared is None and has no attribute 'x'");
        assertThatThrownBy(() -> evaluate("sample.file_size.x"))
                .isInstanceOf(EvaluationException.class)
                .hasMessage("sample.file_size is int and has no attribute 'x'");
        assertThatThrownBy(() -> evaluate("sample.nope"))
                .isInstanceOf(EvaluationException.class)
                .hasMessage("sample has no attribute 'nope'");
    }

    @Test
    void aReportThatCannotBeObtainedNamesItsPath() {
        identifiers.put("cortexreport", new FakeReport("cortexreport")
                .failing("FileInfoReport", new IOException("Cortex answered 502")));

        assertThatThrownBy(() -> evaluate("cortexreport.FileInfoReport.md5sum == 'x'"))
                .isInstanceOf(ReportUnavailableException.class)
                .hasMessage("could not get cortexreport.FileInfoReport: Cortex answered 502")
                .extracting(e -> ((ReportUnavailableException) e).path()).isEqualTo("cortexreport.FileInfoReport");
        assertThatThrownBy(() -> evaluate("olereport.has_office_macros"))
                .isInstanceOf(ReportUnavailableException.class)
                .hasMessage("could not get olereport: no olereport here");
    }

    @Test
    void reportsOnBranchesNotTakenAreNeverAskedFor() throws Exception {
        FakeReport cortex = new FakeReport("cortexreport").failing("FileInfoReport", new IOException("down"));
        identifiers.put("cortexreport", cortex);
        identifiers.put("sample", new FakeReport("sample").with("file_size", 1L));

        assertThat(evaluate("False and cortexreport.FileInfoReport")).isEqualTo(false);
        assertThat(evaluate("sample.file_size > 5 and cortexreport.FileInfoReport")).isEqualTo(false);
        assertThat(evaluate("True or cortexreport.FileInfoReport")).isEqualTo(true);
        assertThat(evaluate("1 > 2 > cortexreport.FileInfoReport")).isEqualTo(false);
        assertThat(evaluate("2 > 1 > 0 or olereport.x")).isEqualTo(true);
        assertThat(resolved).containsOnly("sample");
        assertThat(cortex.asked()).isEmpty();

        assertThatThrownBy(() -> evaluate("True and cortexreport.FileInfoReport"))
                .isInstanceOf(ReportUnavailableException.class);
        assertThat(cortex.asked()).containsExactly("FileInfoReport");
    }

    @Test
    void theValueOfEveryKindOfExpression() throws Exception {
        assertThat(evaluate("bad")).isEqualTo(Result.BAD);
        assertThat(evaluate("[1, 2]")).isEqualTo(List.of(1L, 2L));
        assertThat(evaluate("/a/")).isInstanceOf(Regex.class);
        assertThat(evaluate("1 < 2 or x")).isEqualTo(true);
    }

    private Object evaluate(String expression) throws Exception {
        Evaluator evaluator = new Evaluator(name -> {
            resolved.add(name);
            if (!identifiers.containsKey(name)) {
                throw new IllegalStateException("no " + name + " here");
            }
            return identifiers.get(name);
        });
        return evaluator.evaluate(Parser.parseExpression(expression));
    }
}
