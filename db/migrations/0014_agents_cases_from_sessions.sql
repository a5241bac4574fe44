-- WeChat's count of each agent's cases (getonlinekflist's accepted_case) is no longer kept: the
-- console counts an agent's chats from wekf's own sessions, current to the last event, where this
-- copy lagged until the next online check.
ALTER TABLE "agents" DROP COLUMN "accepted_cases";