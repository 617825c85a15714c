package org.peekaboo.db.testing;

import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.jooq.tools.jdbc.MockConnection;
import org.jooq.tools.jdbc.MockDataProvider;
import org.jooq.tools.jdbc.MockExecuteContext;
import org.jooq.tools.jdbc.MockResult;

/**
 * A database that answers statements from a script, for failures a real server produces only
 * by chance (deadlock victims) or not at all on demand. Each statement takes the next step:
 * an update count or an SQL error; the last step repeats. Records every statement's SQL.
 * For one test thread.
 */
public final class ScriptedDatabase implements MockDataProvider {
    private final Deque<Object> steps = new ArrayDeque<>();
    private final List<String> statements = new ArrayList<>();

    /** The next statement changes {@code rows} rows. */
    public ScriptedDatabase updates(int rows) {
        steps.add(rows);
        return this;
    }

    /** The next statement fails with {@code failure}. */
    public ScriptedDatabase fails(SQLException failure) {
        steps.add(failure);
        return this;
    }

    public DSLContext dsl(SQLDialect dialect) {
        return DSL.using(new MockConnection(this), dialect);
    }

    /** The SQL of every statement executed so far. */
    public List<String> statements() {
        return List.copyOf(statements);
    }

    @Override
    public MockResult[] execute(MockExecuteContext context) throws SQLException {
        statements.add(context.sql());
        Object step = steps.size() > 1 ? steps.poll() : steps.peek();
        if (step == null) {
            throw new IllegalStateException("the script has no step for: " + context.sql());
        }
        if (step instanceof SQLException failure) {
            throw failure;
        }
        return new MockResult[] {new MockResult((Integer) step)};
    }
}
