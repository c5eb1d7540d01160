-- The settlement of a run counts the pending AutoAssign recommendations several times a second while the
-- routing consumer works; a large org also holds tens of thousands of pending Recommend rows, which the
-- status index alone made every count read. (status, mode) covers both look-ups; status alone goes.
CREATE INDEX ix_recommendations_status_mode ON recommendations (status, mode);
DROP INDEX ix_recommendations_status;
