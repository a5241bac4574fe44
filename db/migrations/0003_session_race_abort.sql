-- wekf_session_race_lost: raised by the keyword batch's second statement when a follower it meant to
-- queue got an open session from another transaction in between. The batch's COMMIT travels with
-- that statement (one round trip), so the statement itself must fail for the batch to roll back;
-- the caller recognises SQLSTATE WK001 and decides the batch again.
CREATE FUNCTION wekf_session_race_lost(lost integer) RETURNS integer LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'another transaction opened a session for % follower(s) of this batch', lost USING ERRCODE = 'WK001';
END
$$;
