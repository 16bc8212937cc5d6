-- Group commit sends a batch's change sets in one round trip (GroupCommitWriter), each precondition as a statement
-- that calls this function when it does not hold: the error stops the round trip, which is undone, and each change set
-- is applied again alone, its preconditions read, to tell its caller which one failed. The error code is PostgreSQL's for RAISE (P0001); the message names no value.
CREATE FUNCTION change_set_precondition_failed() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'a precondition of the change set does not hold';
END
$$;
