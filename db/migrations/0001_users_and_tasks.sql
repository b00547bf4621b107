-- Accounts and their tasks.
--
-- users.id is opaque text: a random UUID for accounts made here, while users of
-- an external issuer (Better Auth) keep their own non-UUID ids.

CREATE TABLE users (
    id             text PRIMARY KEY DEFAULT gen_random_uuid()::text
                   CHECK (length(id) BETWEEN 1 AND 128),
    email          text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
    name           text CHECK (length(name) <= 100),
    password_hash  text,                       -- null for external users
    token_version  bigint NOT NULL DEFAULT 0,  -- bumped to revoke every refresh token
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);

-- Emails are unique whatever their letter case.
CREATE UNIQUE INDEX users_email_lower_key ON users (lower(email));

CREATE TABLE tasks (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id      text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title        text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    description  text CHECK (length(description) <= 1000),
    completed    boolean NOT NULL DEFAULT false,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);

-- Listing one user's tasks newest first reads only that user's index range,
-- however many rows other users have.
CREATE INDEX tasks_user_created_idx ON tasks (user_id, created_at DESC, id DESC);
