package org.peekaboo.ruleset.expression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.peekaboo.ruleset.expression.Expr.Binary;
import org.peekaboo.ruleset.expression.Expr.BinaryOperator;
import org.peekaboo.ruleset.expression.Expr.Comparison;
import org.peekaboo.ruleset.expression.Expr.ComparisonOperator;
import org.peekaboo.ruleset.expression.Expr.Constant;
import org.peekaboo.ruleset.expression.Expr.Logical;
import org.peekaboo.ruleset.expression.Expr.Not;
import org.peekaboo.ruleset.expression.Expr.Path;
import org.peekaboo.verdict.Result;

/** The shape of parsed expressions, and syntax errors with the column they point at. */
class ParserTest {

    @Test
    void pathsAreIdentifiersWithAttributes() throws Exception {
        assertThat(Parser.parseExpression("cortexreport.FileInfoReport.md5sum")).isEqualTo(
                new Path("cortexreport", List.of("FileInfoReport", "md5sum"), 1));
        assertThat(Parser.parseExpression("  sample")).isEqualTo(new Path("sample", List.of(), 3));
        assertThat(Parser.parseExpression("x.in")).isEqualTo(new Path("x", List.of("in"), 1));
    }

    @Test
    void multiplicationBindsTighterThanAdditionAndOperatorsGroupFromTheLeft() throws Exception {
        assertThat(Parser.parseExpression("1 + 2 * 3 - 4")).isEqualTo(
                new Binary(BinaryOperator.SUBTRACT,
                        new Binary(BinaryOperator.ADD, new Constant(1L, 1),
                                new Binary(BinaryOperator.MULTIPLY, new Constant(2L, 5), new Constant(3L, 9), 7), 3),
                        new Constant(4L, 13), 11));
    }

    @Test
    void powerGroupsFromTheRight() throws Exception {
        assertThat(Parser.parseExpression("2 ** 3 ** 4")).isEqualTo(
                new Binary(BinaryOperator.POWER, new Constant(2L, 1),
                        new Binary(BinaryOperator.POWER, new Constant(3L, 6), new Constant(4L, 11), 8), 3));
    }

    @Test
    void comparisonsChainBelowArithmeticAndAboveNot() throws Exception {
        assertThat(Parser.parseExpression("not a < b + 1 not in c")).isEqualTo(
                new Not(new Comparison(
                        List.of(new Path("a", List.of(), 5),
                                new Binary(BinaryOperator.ADD, new Path("b", List.of(), 9), new Constant(1L, 13), 11),
                                new Path("c", List.of(), 22)),
                        List.of(ComparisonOperator.LESS, ComparisonOperator.NOT_IN), 7), 1));
        assertThat(Parser.parseExpression("a is not None")).isEqualTo(new Comparison(
                List.of(new Path("a", List.of(), 1), new Constant(null, 10)), List.of(ComparisonOperator.IS_NOT), 3));
    }

    @Test
    void andBindsTighterThanOr() throws Exception {
        assertThat(Parser.parseExpression("a or b and c or d")).isEqualTo(new Logical(false, List.of(
                new Path("a", List.of(), 1),
                new Logical(true, List.of(new Path("b", List.of(), 6), new Path("c", List.of(), 12)), 8),
                new Path("d", List.of(), 17)), 3));
    }

    @Test
    void aSlashIsARegexWhereAnOperandStandsAndADivisionElsewhere() throws Exception {
        assertThat(Parser.parseExpression("a / 2 / b")).isInstanceOf(Binary.class);
        assertThat(Parser.parseExpression("(/x/)")).isInstanceOf(Constant.class);
        assertThat(Parser.parseExpression("a == /x/")).isEqualTo(new Comparison(
                List.of(new Path("a", List.of(), 1), new Constant(new Regex("x", java.util.regex.Pattern.compile("x")), 6)),
                List.of(ComparisonOperator.EQUAL), 3));
        assertThat(Parser.parseExpression("[/a/, /b/] in x not in /c/")).isInstanceOf(Comparison.class);
        assertThat(Parser.parseExpression("not /a/")).isInstanceOf(Not.class);
        assertThat(Parser.parseExpression("x // 2")).isEqualTo(new Binary(BinaryOperator.FLOOR_DIVIDE,
                new Path("x", List.of(), 1), new Constant(2L, 6), 3));
    }

    @Test
    void anImplicationYieldsAResultOrAPath() throws Exception {
        Implication implication = Implication.parse("knownreport.known -> knownreport.worst_result");

        assertThat(implication.condition()).isEqualTo(new Path("knownreport", List.of("known"), 1));
        assertThat(implication.target()).isEqualTo(new Path("knownreport", List.of("worst_result"), 22));
        assertThat(Implication.parse("True->fail").target()).isEqualTo(new Constant(Result.FAILED, 7));
        assertThat(Implication.parse("a.b and c or d.e -> f.g").paths()).extracting(Path::text)
                .containsExactly("a.b", "c", "d.e", "f.g");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = "=>", quoteCharacter = '`', textBlock = """
            sample.file_size <               => 19 => expected an operand, found the end of the expression
            1 +* 2                           => 4  => expected an operand, found '*'
            (1 + 2                           => 7  => expected ')' to close '(' of column 1, found the end of the expression
            [1, 2                            => 6  => expected ']' to close '[' of column 1, found the end of the expression
            {1 2}                            => 4  => expected '}' to close '{' of column 1, found '2'
            'abc                             => 1  => string is not closed with '
            x == /abc                        => 6  => regular expression is not closed with /
            x == /ab(/                       => 6  => invalid regular expression /ab(/: Unclosed group near index 3
            1 $ 2                            => 3  => unexpected character '$'
            99999999999999999999             => 1  => integer too large (at most 9223372036854775807)
            2 ** -1                          => 6  => expected an operand, found '-'
            sample.                          => 8  => expected an attribute name after '.', found the end of the expression
            sample.5                         => 8  => expected an attribute name after '.', found '5'
            and x                            => 1  => expected an operand, found 'and'
            a not b                          => 3  => 'not' after an operand must be followed by 'in'
            a b                              => 3  => unexpected 'b'; expected an operator
            1.                               => 2  => unexpected '.'; expected an operator
            a -> bad                         => 3  => '->' may only stand once, between the whole condition and its result
            """)
    void syntaxErrorsNameTheColumn(String expression, int column, String problem) {
        assertThatThrownBy(() -> Parser.parseExpression(expression))
                .isInstanceOfSatisfying(ExpressionSyntaxException.class, e -> {
                    assertThat(e.column()).isEqualTo(column);
                    assertThat(e.problem()).isEqualTo(problem.replace("integer too large", "integer "
                            + "99999999999999999999 is too large"));
                });
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = "=>", quoteCharacter = '`', textBlock = """
            sample.file_size > 10            => 22 => Malformed expression, missing implication: write condition -> result
            x -> 5                           => 6  => after '->' expected a result (bad, fail, good, ignore, unknown) or an identifier path such as knownreport.worst_result, found '5'
            x -> bad -> good                 => 10 => '->' may only stand once, between the whole condition and its result
            (x -> bad)                       => 4  => expected ')' to close '(' of column 1, found '->'
            x -> not                         => 6  => after '->' expected a result (bad, fail, good, ignore, unknown) or an identifier path such as knownreport.worst_result, found 'not'
            x -> bad or good                 => 10 => unexpected 'or'; expected an operator
            """)
    void implicationErrorsNameTheColumn(String expression, int column, String problem) {
        assertThatThrownBy(() -> Implication.parse(expression))
                .isInstanceOfSatisfying(ExpressionSyntaxException.class, e -> {
                    assertThat(e.column()).isEqualTo(column);
                    assertThat(e.problem()).isEqualTo(problem);
                });
    }

    @Test
    void theMessageShowsTheLineWithACaretUnderTheProblem() {
        assertThatThrownBy(() -> Parser.parseExpression("1 +* 2"))
                .hasMessage("column 4: expected an operand, found '*'\n    1 +* 2\n       ^");
        assertThatThrownBy(() -> Implication.parse("sample.file_size > 10\n  and\tsample.x = 1 -> bad"))
                .hasMessage("column 38: unexpected character '='\n"
                        + "      and\tsample.x = 1 -> bad\n"
                        + "         \t         ^");
    }
}
