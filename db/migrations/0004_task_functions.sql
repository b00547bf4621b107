-- Every statement on tasks, one function each, so that a task request costs
-- one round trip: the service calls the function outside any explicit
-- transaction, and the function scopes app.user_id to the transaction of that
-- one call (set_config(..., true)) before its statement runs. They run as the
-- caller (SECURITY INVOKER, the default), so row-level security applies
-- exactly as before, and each statement still filters by the user itself.
-- PL/pgSQL rather than SQL functions: it keeps their plans between calls.

-- The listing filters: status is 'all', 'pending' or 'completed'; pattern is
-- an ILIKE pattern with backslash escapes, or null for no search.
CREATE FUNCTION task_matches(t tasks, status text, pattern text) RETURNS boolean
    LANGUAGE sql IMMUTABLE AS $$
    SELECT (status = 'all' OR t.completed = (status = 'completed'))
       AND (pattern IS NULL
            OR t.title ILIKE pattern ESCAPE '\'
            OR t.description ILIKE pattern ESCAPE '\')
$$;

-- One page of the user's matching tasks, each with the count of all matching
-- tasks (count(*) OVER (): the total in the same scan). order_by is one of
-- 'created_at', 'updated_at', 'title', then ' asc' or ' desc'; ties go by id
-- in the same direction.
CREATE FUNCTION task_list(user_id text, status text, pattern text, order_by text,
                          page_limit integer, page_offset bigint)
    RETURNS TABLE (task tasks, total bigint)
    LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('app.user_id', task_list.user_id, true);
    RETURN QUERY
        SELECT t, count(*) OVER ()
        FROM tasks t
        WHERE t.user_id = task_list.user_id AND task_matches(t, status, pattern)
        ORDER BY
            CASE order_by WHEN 'created_at asc' THEN t.created_at END ASC,
            CASE order_by WHEN 'created_at desc' THEN t.created_at END DESC,
            CASE order_by WHEN 'updated_at asc' THEN t.updated_at END ASC,
            CASE order_by WHEN 'updated_at desc' THEN t.updated_at END DESC,
            CASE order_by WHEN 'title asc' THEN lower(t.title) END ASC,
            CASE order_by WHEN 'title desc' THEN lower(t.title) END DESC,
            CASE WHEN order_by LIKE '% asc' THEN t.id END ASC,
            t.id DESC
        LIMIT page_limit OFFSET page_offset;
END
$$;

-- The count alone, for a page past the end (which has no row to carry it).
CREATE FUNCTION task_count(user_id text, status text, pattern text) RETURNS bigint
    LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('app.user_id', task_count.user_id, true);
    RETURN (SELECT count(*) FROM tasks t
            WHERE t.user_id = task_count.user_id AND task_matches(t, status, pattern));
END
$$;

CREATE FUNCTION task_create(user_id text, title text, description text) RETURNS SETOF tasks
    LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('app.user_id', task_create.user_id, true);
    RETURN QUERY
        INSERT INTO tasks (user_id, title, description)
        VALUES (task_create.user_id, task_create.title, task_create.description)
        RETURNING *;
END
$$;

CREATE FUNCTION task_find(user_id text, id uuid) RETURNS SETOF tasks
    LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('app.user_id', task_find.user_id, true);
    RETURN QUERY
        SELECT * FROM tasks t WHERE t.user_id = task_find.user_id AND t.id = task_find.id;
END
$$;

-- Changes what is not null among title and completed; the description only
-- when set_description is true (to description, which may be null).
CREATE FUNCTION task_update(user_id text, id uuid, title text, set_description boolean,
                            description text, completed boolean) RETURNS SETOF tasks
    LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('app.user_id', task_update.user_id, true);
    RETURN QUERY
        UPDATE tasks t
        SET title = COALESCE(task_update.title, t.title),
            description = CASE WHEN set_description THEN task_update.description
                               ELSE t.description END,
            completed = COALESCE(task_update.completed, t.completed),
            updated_at = now()
        WHERE t.user_id = task_update.user_id AND t.id = task_update.id
        RETURNING t.*;
END
$$;

CREATE FUNCTION task_toggle(user_id text, id uuid) RETURNS SETOF tasks
    LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('app.user_id', task_toggle.user_id, true);
    RETURN QUERY
        UPDATE tasks t SET completed = NOT t.completed, updated_at = now()
        WHERE t.user_id = task_toggle.user_id AND t.id = task_toggle.id
        RETURNING t.*;
END
$$;

CREATE FUNCTION task_delete(user_id text, id uuid) RETURNS SETOF uuid
    LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('app.user_id', task_delete.user_id, true);
    RETURN QUERY
        DELETE FROM tasks t WHERE t.user_id = task_delete.user_id AND t.id = task_delete.id
        RETURNING t.id;
END
$$;

-- Functions are executable by PUBLIC unless revoked; only the service needs them.
REVOKE EXECUTE ON FUNCTION task_matches, task_list, task_count, task_create, task_find,
    task_update, task_toggle, task_delete FROM PUBLIC;
GRANT EXECUTE ON FUNCTION task_matches, task_list, task_count, task_create, task_find,
    task_update, task_toggle, task_delete TO todo_app;
