-- While the office waits for documents it asked for, the processing deadline stands still (§ 42a Abs. 2 VwVfG:
-- the deadline runs from complete documents); set when documents are requested, cleared when they arrive.
alter table cases add column clock_stopped_at timestamptz;
