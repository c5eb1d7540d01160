-- The Event fields trust reads for customer meetings and weeks off (WhoId, ShowAs), and the Shared
-- Activities flags of EventRelation (IsParent, IsWhat) that tell a contact's row from an invitation.
-- Forgetting the two objects' watermarks makes the next sync read their rows in the window again, with them.
ALTER TABLE events ADD COLUMN who_id TEXT NULL;
ALTER TABLE events ADD COLUMN show_as TEXT NULL;
ALTER TABLE event_relations ADD COLUMN is_parent INTEGER NOT NULL DEFAULT 0;
ALTER TABLE event_relations ADD COLUMN is_what INTEGER NOT NULL DEFAULT 0;
DELETE FROM sync_watermarks WHERE object_name IN ('Event', 'EventRelation', 'EventRelation_Event');
