CREATE TABLE billing.plans (
  id smallint PRIMARY KEY,
  slug text NOT NULL UNIQUE,
  name text NOT NULL,
  monthly_price_cents integer NOT NULL CHECK (monthly_price_cents >= 0),
  annual_price_cents integer NOT NULL CHECK (annual_price_cents >= 0),
  included_minutes integer NOT NULL,
  included_agents smallint NOT NULL,
  overage_cents_per_minute smallint NOT NULL,
  is_public boolean NOT NULL DEFAULT true
);
COMMENT ON TABLE billing.plans IS 'Price plans (Starter, Growth, Scale, Enterprise): monthly price, included call minutes and agents, overage rate.';

CREATE TABLE billing.features (
  key text PRIMARY KEY CHECK (key ~ '^[a-z_]+$'),
  name text NOT NULL,
  description text NOT NULL
);
COMMENT ON TABLE billing.features IS 'Product features a plan may include (after-hours answering, EHR integration, SMS follow-up, ...).';

CREATE TABLE billing.plan_features (
  plan_id smallint NOT NULL REFERENCES billing.plans (id),
  feature_key text NOT NULL REFERENCES billing.features (key),
  limit_value integer,
  PRIMARY KEY (plan_id, feature_key)
);
COMMENT ON TABLE billing.plan_features IS 'Which features each plan includes; limit_value caps metered features (NULL = unlimited).';

CREATE TABLE billing.coupons (
  id integer PRIMARY KEY,
  code text NOT NULL UNIQUE,
  percent_off smallint NOT NULL CHECK (percent_off BETWEEN 1 AND 100),
  duration_months smallint,
  valid_until date
);
COMMENT ON TABLE billing.coupons IS 'Discount codes offered in negotiations and campaigns.';
