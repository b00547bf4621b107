-- A token can outlive its account. A task statement that finds nothing now
-- says whether that is because the user does not exist (SQLSTATE TDU01,
-- answered 401 USER_UNKNOWN) rather than answering as if the user had no
-- tasks; the check runs only when nothing was found, so a request that finds
-- its rows costs what it did. (task_create needs no check: its foreign key
-- refuses an unknown user.)

CREATE FUNCTION require_user(user_id text) RETURNS void
    LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM users u WHERE u.id = require_user.user_id) THEN
        RAISE EXCEPTION 'the user does not exist' USING ERRCODE = 'TDU01';
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION task_list(user_id text, status text, pattern text, order_by text,
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
    IF NOT FOUND THEN
        PERFORM require_user(task_list.user_id);
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION task_find(user_id text, id uuid) RETURNS SETOF tasks
    LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('app.user_id', task_find.user_id, true);
    RETURN QUERY
        SELECT * FROM tasks t WHERE t.user_id = task_find.user_id AND t.id = task_find.id;
    IF NOT FOUND THEN
        PERFORM require_user(task_find.user_id);
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION task_update(user_id text, id uuid, title text, set_description boolean,
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
    IF NOT FOUND THEN
        PERFORM require_user(task_update.user_id);
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION task_toggle(user_id text, id uuid) RETURNS SETOF tasks
    LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('app.user_id', task_toggle.user_id, true);
    RETURN QUERY
        UPDATE tasks t SET completed = NOT t.completed, updated_at = now()
        WHERE t.user_id = task_toggle.user_id AND t.id = task_toggle.id
        RETURNING t.*;
    IF NOT FOUND THEN
        PERFORM require_user(task_toggle.user_id);
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION task_delete(user_id text, id uuid) RETURNS SETOF uuid
    LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('app.user_id', task_delete.user_id, true);
    RETURN QUERY
        DELETE FROM tasks t WHERE t.user_id = task_delete.user_id AND t.id = task_delete.id
        RETURNING t.id;
    IF NOT FOUND THEN
        PERFORM require_user(task_delete.user_id);
    END IF;
END
$$;

REVOKE EXECUTE ON FUNCTION require_user FROM PUBLIC;
GRANT EXECUTE ON FUNCTION require_user TO todo_app;
