-- Group commit sends a batch's change sets in one round trip (GroupCommitWriter), each precondition as a statement
-- that calls this function when it does not hold: the error stops the round trip at that change set, whose savepoint
-- is then rolled back to, and the change set is checked again statement by statement to tell its caller which
-- precondition failed. The error code is PostgreSQL's for RAISE (P0001); the message names no value.
CREATE FUNCTION change_set_precondition_failed() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'a precondition of the change set does not hold';
END
$$;
