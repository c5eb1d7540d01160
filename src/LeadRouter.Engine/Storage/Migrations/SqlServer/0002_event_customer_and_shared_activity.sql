-- The Event fields trust reads for customer meetings and weeks off (WhoId, ShowAs), and the Shared
-- Activities flags of EventRelation (IsParent, IsWhat) that tell a contact's row from an invitation.
-- Forgetting the two objects' watermarks makes the next sync read their rows in the window again, with them.
ALTER TABLE events ADD who_id nvarchar(18) NULL, show_as nvarchar(40) NULL;
ALTER TABLE event_relations ADD
    is_parent bit NOT NULL CONSTRAINT df_event_relations_is_parent DEFAULT 0,
    is_what bit NOT NULL CONSTRAINT df_event_relations_is_what DEFAULT 0;
DELETE FROM sync_watermarks WHERE object_name IN ('Event', 'EventRelation', 'EventRelation_Event');
