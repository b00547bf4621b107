-- Sessions a person can see and end, behind short-lived access tokens, and a
-- sign-in throttle per account that holds across workers and hosts.
--
-- A login or registration opens a session. Its refresh cookie names the
-- session and the one-time id of its current refresh token; a refresh spends
-- that id and stores the next (session_rotate). Only the cookie routes read
-- this table: access tokens are still verified without the database.

CREATE TABLE sessions (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id            text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at         timestamptz NOT NULL DEFAULT now(),
    last_used_at       timestamptz NOT NULL DEFAULT now(),
    expires_at         timestamptz NOT NULL,   -- moved on by each refresh
    revoked_at         timestamptz,
    device             text NOT NULL CHECK (length(device) <= 100),
    token_id           uuid NOT NULL,          -- the current refresh token's one-time id
    previous_token_id  uuid,                   -- the one it replaced, for the grace window
    rotated_at         timestamptz             -- when token_id last changed
);

-- A user's live sessions (the account screen, logout everywhere).
CREATE INDEX sessions_user_live_idx ON sessions (user_id) WHERE revoked_at IS NULL;

-- Refresh tokens now name their session; the per-user version they carried
-- before is gone (a cookie from before this migration asks for a new login).
ALTER TABLE users DROP COLUMN token_version;

-- Spends refresh token p_token of the session and makes p_next its current
-- one, in one statement so two refreshes with one token cannot both win.
-- Answers what happened:
--   rotated  p_token was current: p_next is now, the session lives on
--   stale    p_token is the one just replaced, within p_grace: nothing changes
--            (a tab that lost the race, a lost response)
--   reused   p_token was spent before that: it was stolen or replayed, so the
--            whole session is revoked
--   ended    no such live session of this user (logged out, expired, revoked)
CREATE FUNCTION session_rotate(p_user text, p_session uuid, p_token uuid, p_next uuid,
                               p_lifetime interval, p_grace interval) RETURNS text
    LANGUAGE plpgsql AS $$
DECLARE
    s sessions;
BEGIN
    UPDATE sessions
    SET previous_token_id = token_id, token_id = p_next, rotated_at = now(),
        last_used_at = now(), expires_at = now() + p_lifetime
    WHERE id = p_session AND user_id = p_user AND token_id = p_token
      AND revoked_at IS NULL AND expires_at > now();
    IF FOUND THEN
        RETURN 'rotated';
    END IF;
    SELECT * INTO s FROM sessions WHERE id = p_session AND user_id = p_user;
    IF NOT FOUND OR s.revoked_at IS NOT NULL OR s.expires_at <= now() THEN
        RETURN 'ended';
    END IF;
    IF s.previous_token_id = p_token AND s.rotated_at > now() - p_grace THEN
        RETURN 'stale';
    END IF;
    UPDATE sessions SET revoked_at = now() WHERE id = p_session;
    RETURN 'reused';
END
$$;

-- Failed passwords per email (lower case), whether or not an account has it,
-- so the answer never tells which emails exist. From the fifth failure with
-- no quiet quarter of an hour between them, the email is blocked for 30 s,
-- then twice as long after each further failure, up to 15 minutes. A success
-- deletes the row.
CREATE TABLE sign_in_failures (
    email          text PRIMARY KEY CHECK (email = lower(email)),
    failures       integer NOT NULL,
    last_failed_at timestamptz NOT NULL,
    blocked_until  timestamptz
);

CREATE FUNCTION sign_in_failed(p_email text) RETURNS void
    LANGUAGE plpgsql AS $$
DECLARE
    n integer;
BEGIN
    INSERT INTO sign_in_failures AS f (email, failures, last_failed_at)
    VALUES (lower(p_email), 1, now())
    ON CONFLICT (email) DO UPDATE
        SET failures = CASE WHEN f.last_failed_at < now() - interval '15 minutes'
                            THEN 1 ELSE f.failures + 1 END,
            last_failed_at = now()
    RETURNING failures INTO n;
    IF n >= 5 THEN
        UPDATE sign_in_failures
        SET blocked_until = now() + least(interval '15 minutes',
                                          interval '30 seconds' * power(2, least(n - 5, 10)))
        WHERE email = lower(p_email);
    END IF;
END
$$;

GRANT SELECT, INSERT, UPDATE, DELETE ON sessions TO todo_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON sign_in_failures TO todo_app;
REVOKE EXECUTE ON FUNCTION session_rotate, sign_in_failed FROM PUBLIC;
GRANT EXECUTE ON FUNCTION session_rotate, sign_in_failed TO todo_app;
