-- The service connects as todo_app: a role that owns nothing, may only read and
-- write rows, and cannot bypass row-level security. Create it before migrating:
--   CREATE ROLE todo_app LOGIN PASSWORD '...';

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'todo_app') THEN
        RAISE EXCEPTION 'role todo_app does not exist'
            USING HINT = 'Create the service role first: CREATE ROLE todo_app LOGIN PASSWORD ''...'';';
    END IF;
END
$$;

GRANT USAGE ON SCHEMA public TO todo_app;
GRANT SELECT, INSERT, UPDATE ON users TO todo_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON tasks TO todo_app;
GRANT SELECT ON schema_migrations TO todo_app;
