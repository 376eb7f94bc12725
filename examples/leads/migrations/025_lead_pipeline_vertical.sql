-- search_leads reads "this vertical, this stage kind" as the one stage of that vertical's pipeline (migration 024),
-- and then no longer also checks the vertical and the kind: PostgreSQL multiplied the three conditions' shares as if
-- they were independent, took 110,000 leads for 9,000, and sorted them all instead of walking an index. That reading
-- needs a lead's vertical to be its pipeline's, which the schema now says (a lead's stage was already its pipeline's).
ALTER TABLE crm.pipelines ADD CONSTRAINT pipelines_id_vertical_key UNIQUE (id, vertical_id);
ALTER TABLE crm.leads ADD CONSTRAINT leads_pipeline_vertical_fkey
  FOREIGN KEY (pipeline_id, vertical_id) REFERENCES crm.pipelines (id, vertical_id);
