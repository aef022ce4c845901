-- Requests per client and minute, shared by every app instance (the general request limit).
-- Each instance counts in memory and adds its counts here about once a second, in one statement.
-- Unlogged: no WAL for counts that matter for a minute; after a crash the table is empty, which only forgives.
create unlogged table request_counts (
  window_start bigint not null,      -- the window's first millisecond since the epoch
  client_key text not null,          -- hash of "ip:…" or "account:…"/"staff:…", never the address itself
  hits integer not null,
  primary key (window_start, client_key)
);
