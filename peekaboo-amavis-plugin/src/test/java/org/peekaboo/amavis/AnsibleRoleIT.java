package org.peekaboo.amavis;

import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.peekaboo.testing.RootScript;

/**
 * The Ansible role (ansible/) deployed for real: scripts/ansible-test lints it, runs site.yml
 * against a Debian root made with debootstrap (chroot connection), which installs the Debian
 * package this build made, checks files, owners, modes, the user's groups, the unit and the
 * role's drop-in for it, amavis' and Postfix' wiring and {@code peekaboo config check} inside
 * the root, and runs it again expecting no change. The script is the test; this class only
 * makes {@code mvn verify} (the README's single test command) run it. Its output is kept in
 * target/ansible-test.log.
 */
class AnsibleRoleIT {
    @Test
    void roleDeploysAGatewayIntoADebianRootAndASecondRunChangesNothing() throws IOException, InterruptedException {
        RootScript.runAndAssert("ansible-test", Map.of("PEEKABOO_DEB", RootScript.builtDebianPackage().toString()));
    }
}
