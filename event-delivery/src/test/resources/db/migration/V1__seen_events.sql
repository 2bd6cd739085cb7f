create table seen_event (event_id uuid not null, run_id uuid not null, reason text not null);
