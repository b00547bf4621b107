-- Users of an external identity provider (Better Auth), made on the first
-- accepted token of an unknown subject: id = the token's sub, the email from
-- its email claim when it has one, no password, and the issuer that vouched
-- for them. A user belongs to one issuer (NULL: registered here); a token of
-- another issuer can never act for them, whatever ids collide.

ALTER TABLE users ADD COLUMN issuer text CHECK (length(issuer) BETWEEN 1 AND 2048);

-- External ids are the provider's (Better Auth: 32 characters); a token's
-- sub may be up to 255.
ALTER TABLE users DROP CONSTRAINT users_id_check;
ALTER TABLE users ADD CONSTRAINT users_id_check CHECK (length(id) BETWEEN 1 AND 255);

-- An external user may come without an email; a local one never does.
ALTER TABLE users ALTER COLUMN email DROP NOT NULL;
ALTER TABLE users ADD CONSTRAINT users_local_email_check CHECK (issuer IS NOT NULL OR email IS NOT NULL);

-- Emails identify local accounts only: an external user may share one with a
-- local account (or with a user of another provider) without blocking it.
DROP INDEX users_email_lower_key;
CREATE UNIQUE INDEX users_email_lower_key ON users (lower(email)) WHERE issuer IS NULL;
