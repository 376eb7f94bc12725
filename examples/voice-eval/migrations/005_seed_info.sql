-- Which synthetic data set the database holds, so a restart can tell its own stale seed from real data.

CREATE TABLE seed_info (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  faker_seed integer NOT NULL,
  anchor timestamptz NOT NULL,
  seeded_at timestamptz NOT NULL
);

COMMENT ON TABLE seed_info IS 'One row when the data is the generated demo set: its faker seed and the night (anchor) its newest runs belong to.';
COMMENT ON COLUMN seed_info.anchor IS 'Start of the newest nightly run; every seeded date is relative to it.';
