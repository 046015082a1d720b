-- The store's first version (SQLite). Times are Unix seconds; lists are
-- comma-joined names. No user ids: `asker` is a salted hash.

CREATE TABLE meta (
    key TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);

-- Every question the bot was asked; `text` only for those kept for review.
CREATE TABLE questions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    asked_at BIGINT NOT NULL,
    front_end TEXT NOT NULL,
    guild_id BIGINT,
    channel_id BIGINT,
    asker TEXT,
    outcome TEXT NOT NULL,
    topics TEXT NOT NULL DEFAULT '',
    aspects TEXT NOT NULL DEFAULT '',
    uncovered TEXT NOT NULL DEFAULT '',
    suggestion TEXT,
    text TEXT,
    -- open | taught | ignored (for questions with text)
    review TEXT NOT NULL DEFAULT 'open'
);
CREATE INDEX questions_by_time ON questions (asked_at);
CREATE INDEX questions_by_review ON questions (review, asked_at);

-- One vote per asker and answer message.
CREATE TABLE feedback (
    message_id BIGINT NOT NULL,
    asker TEXT NOT NULL,
    given_at BIGINT NOT NULL,
    guild_id BIGINT,
    channel_id BIGINT,
    topics TEXT NOT NULL DEFAULT '',
    helpful BOOLEAN NOT NULL,
    comment TEXT,
    PRIMARY KEY (message_id, asker)
);
CREATE INDEX feedback_by_time ON feedback (given_at);

-- Examples counselors taught; they join the knowledge's examples at load.
CREATE TABLE taught (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    text TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL,
    taught_at BIGINT NOT NULL,
    exported BOOLEAN NOT NULL DEFAULT FALSE
);

-- Messages claimed by a process before it answers (several processes on
-- one store answer each message once).
CREATE TABLE claims (
    message_id BIGINT PRIMARY KEY NOT NULL,
    claimed_at BIGINT NOT NULL
);

-- Counters other processes watch: taught examples and knowledge reloads.
CREATE TABLE changes (
    name TEXT PRIMARY KEY NOT NULL,
    generation BIGINT NOT NULL
);
INSERT INTO changes (name, generation) VALUES ('taught', 0), ('reload', 0);
