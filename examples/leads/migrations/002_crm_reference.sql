CREATE TABLE crm.verticals (
  id smallint PRIMARY KEY,
  slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z_]+$'),
  name text NOT NULL,
  description text NOT NULL
);
COMMENT ON TABLE crm.verticals IS 'The six industries the voice agents are sold into (healthcare, real_estate, salon, hospitality, home_services, automotive). Each has its own pipeline and its own schema of operational tables.';

CREATE TABLE crm.teams (
  id integer PRIMARY KEY,
  slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9-]+$'),
  name text NOT NULL,
  vertical_id smallint REFERENCES crm.verticals (id),
  region text NOT NULL CHECK (region IN ('us-east', 'us-central', 'us-west', 'canada', 'uk')),
  created_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE crm.teams IS 'Sales teams. Each lead belongs to one team; row-level security limits MCP callers to the teams named in their token (claim "teams" or "team").';
COMMENT ON COLUMN crm.teams.slug IS 'Stable identifier used in access-token claims, e.g. "healthcare-east".';

CREATE TABLE crm.owners (
  id integer PRIMARY KEY,
  team_id integer NOT NULL REFERENCES crm.teams (id),
  full_name text NOT NULL,
  email text NOT NULL UNIQUE,
  role text NOT NULL CHECK (role IN ('sdr', 'account_executive', 'sales_manager', 'solutions_engineer')),
  timezone text NOT NULL,
  is_active boolean NOT NULL DEFAULT true,
  hired_on date NOT NULL
);
CREATE INDEX owners_team_id_idx ON crm.owners (team_id);
COMMENT ON TABLE crm.owners IS 'Sales reps who own leads: SDRs qualify, account executives run demos and close.';

CREATE TABLE crm.territories (
  id integer PRIMARY KEY,
  team_id integer NOT NULL REFERENCES crm.teams (id),
  name text NOT NULL,
  country_code char(2) NOT NULL,
  region_codes text[] NOT NULL
);
CREATE INDEX territories_team_id_idx ON crm.territories (team_id);
COMMENT ON TABLE crm.territories IS 'Geographic territories a team covers (state or province codes); new leads are routed by them.';

CREATE TABLE crm.lead_sources (
  id smallint PRIMARY KEY,
  slug text NOT NULL UNIQUE,
  name text NOT NULL,
  channel text NOT NULL CHECK (channel IN ('inbound_call', 'web_form', 'chat', 'paid_search', 'paid_social', 'referral', 'partner', 'event', 'outbound'))
);
COMMENT ON TABLE crm.lead_sources IS 'Where leads come from: inbound calls to the demo line, web forms, paid ads, partners, events, outbound prospecting.';

CREATE TABLE crm.campaigns (
  id integer PRIMARY KEY,
  source_id smallint NOT NULL REFERENCES crm.lead_sources (id),
  vertical_id smallint REFERENCES crm.verticals (id),
  name text NOT NULL,
  utm_campaign text,
  started_on date NOT NULL,
  ended_on date,
  budget_cents bigint NOT NULL DEFAULT 0 CHECK (budget_cents >= 0),
  CHECK (ended_on IS NULL OR ended_on >= started_on)
);
CREATE INDEX campaigns_source_id_idx ON crm.campaigns (source_id);
CREATE INDEX campaigns_vertical_id_idx ON crm.campaigns (vertical_id);
COMMENT ON TABLE crm.campaigns IS 'Marketing campaigns, each through one source and usually aimed at one vertical.';

CREATE TABLE crm.partners (
  id integer PRIMARY KEY,
  name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('reseller', 'agency', 'integrator', 'association')),
  commission_rate numeric(4, 3) NOT NULL DEFAULT 0 CHECK (commission_rate BETWEEN 0 AND 0.5),
  vertical_id smallint REFERENCES crm.verticals (id)
);
COMMENT ON TABLE crm.partners IS 'Resellers, agencies, integrators and trade associations that refer leads.';

CREATE TABLE crm.lost_reasons (
  id smallint PRIMARY KEY,
  slug text NOT NULL UNIQUE,
  label text NOT NULL
);
COMMENT ON TABLE crm.lost_reasons IS 'Why a lead was lost or disqualified (price, went with a competitor, no response, ...).';

CREATE TABLE crm.tags (
  id integer PRIMARY KEY,
  name text NOT NULL UNIQUE,
  color text NOT NULL CHECK (color ~ '^#[0-9a-f]{6}$')
);
COMMENT ON TABLE crm.tags IS 'Free-form labels reps put on leads (hot, multi-location, hipaa-review, ...).';

CREATE TABLE crm.competitors (
  id integer PRIMARY KEY,
  name text NOT NULL UNIQUE,
  website text
);
COMMENT ON TABLE crm.competitors IS 'Other answering services and voice-AI vendors leads compare us with.';
