-- The second line of isolation: even a query that forgets its
-- "WHERE user_id = $1" sees only the rows of the user the transaction runs for.
-- The service sets app.user_id with set_config(..., true) in each transaction.
-- FORCE makes the policy apply to the table's owner too.

ALTER TABLE tasks ENABLE ROW LEVEL SECURITY;
ALTER TABLE tasks FORCE ROW LEVEL SECURITY;

CREATE POLICY tasks_owner_only ON tasks
    USING (user_id = current_setting('app.user_id', true))
    WITH CHECK (user_id = current_setting('app.user_id', true));
