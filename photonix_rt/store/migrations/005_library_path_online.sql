-- A library folder that vanished (a disk unplugged, a mount dropped) is offline since this
-- moment; NULL while it is reachable. Its photos are kept and nothing is marked missing.
ALTER TABLE library_paths ADD COLUMN offline_since timestamptz;
