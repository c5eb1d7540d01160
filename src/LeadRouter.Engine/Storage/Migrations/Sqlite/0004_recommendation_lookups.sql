-- A large org holds tens of thousands of pending Recommend rows, which the status index alone made two
-- look-ups read whole: a new run superseding the pending recommendations of its leads (one look-up per
-- lead, so a second week's cycle of 90,000 leads ran for over a quarter of an hour), and the settlement
-- counting the pending AutoAssign recommendations several times a second. (lead_id, status) serves the
-- first, (status, mode) the second and every look-up by status; status alone goes.
CREATE INDEX ix_recommendations_lead_status ON recommendations (lead_id, status);
CREATE INDEX ix_recommendations_status_mode ON recommendations (status, mode);
DROP INDEX ix_recommendations_status;
