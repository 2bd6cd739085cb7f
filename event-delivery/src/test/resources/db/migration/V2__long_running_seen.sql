-- What the test's long-running consumer recorded, and whether its work ran inside a transaction.
create table long_running_seen (
    event_id          uuid    not null,
    run_id            uuid    not null,
    work_in_transaction boolean not null
);
