-- The Event fields trust reads for customer meetings and weeks off (WhoId, ShowAs), and the Shared
-- Activities flags of EventRelation (IsParent, IsWhat) that tell a contact's row from an invitation.
-- Forgetting the two objects' watermarks makes the next sync read their rows in the window again, with them.
ALTER TABLE events ADD COLUMN who_id varchar(18) NULL, ADD COLUMN show_as text NULL;
ALTER TABLE event_relations ADD COLUMN is_parent boolean NOT NULL DEFAULT false, ADD COLUMN is_what boolean NOT NULL DEFAULT false;
DELETE FROM sync_watermarks WHERE object_name IN ('Event', 'EventRelation', 'EventRelation_Event');
