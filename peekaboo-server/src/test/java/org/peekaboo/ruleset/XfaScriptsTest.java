package org.peekaboo.ruleset;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class XfaScriptsTest {

    @Test
    void scriptsAreFoundWithTheActivityOfTheirEventWhateverThePrefix() {
        String xml = "<xdp:xdp><t:template><t:field><t:event activity=\"initialize\" name=\"e\">"
                + "<t:script contentType=\"application/x-javascript\">a();</t:script></t:event>"
                + "<event activity='Click'><script>b &lt; c &amp;&amp; d(&quot;x&#41;</script></event>"
                + "<calculate><script><![CDATA[e(1 < 2)]]></script></calculate>"
                + "<script/><event activity=\"docReady\"/><script>f()</script></t:field></t:template></xdp:xdp>";

        assertThat(XfaScripts.of(xml)).containsExactly(
                new XfaScripts.Script("initialize", "a();"),
                new XfaScripts.Script("click", "b < c && d(\"x)"),
                new XfaScripts.Script(null, "e(1 < 2)"),
                new XfaScripts.Script(null, "f()"));
        assertThat(XfaScripts.of(xml).getFirst().runsOnOpen()).isTrue();
        assertThat(XfaScripts.of(xml).get(1).runsOnOpen()).isFalse();
    }

    @Test
    void anUnclosedScriptRunsToTheEndAndBrokenXmlIsNoError() {
        assertThat(XfaScripts.of("<event activity=\"ready\"><script>launchURL(")).containsExactly(
                new XfaScripts.Script("ready", "launchURL("));
        assertThat(XfaScripts.of("<<<>>></event></event><script")).isEmpty();
    }

    @Test
    void theNumberOfScriptsIsBounded() {
        String xml = "<script>x</script>".repeat(XfaScripts.MAX_SCRIPTS + 10);

        List<XfaScripts.Script> scripts = XfaScripts.of(xml);

        assertThat(scripts).hasSize(XfaScripts.MAX_SCRIPTS);
    }
}
