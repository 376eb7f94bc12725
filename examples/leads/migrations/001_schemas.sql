-- Schemas by concern, as the operations database of a company running AI voice agents across six verticals:
-- the sales CRM, the voice platform, billing, one schema per vertical's operational data, and reporting.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE SCHEMA crm;
COMMENT ON SCHEMA crm IS 'Sales CRM: leads (prospective customer businesses), their contacts, phone numbers, emails, pipelines, stages and engagement history.';
CREATE SCHEMA voice;
COMMENT ON SCHEMA voice IS 'Voice platform: the AI voice agents, their versions and function tools, phone calls, transcripts and SMS.';
CREATE SCHEMA billing;
COMMENT ON SCHEMA billing IS 'Plans, customer accounts, trials, subscriptions, invoices, payments and usage.';
CREATE SCHEMA healthcare;
COMMENT ON SCHEMA healthcare IS 'Healthcare vertical: medical and dental practices whose calls the agents answer, their providers, patients, insurance and appointments.';
CREATE SCHEMA real_estate;
COMMENT ON SCHEMA real_estate IS 'Real-estate vertical: brokerages, realtors, listings, buyer profiles, showings, offers and closings.';
CREATE SCHEMA salon;
COMMENT ON SCHEMA salon IS 'Salon vertical: salons and spas, stylists, services, clients and bookings.';
CREATE SCHEMA hospitality;
COMMENT ON SCHEMA hospitality IS 'Hospitality vertical: hotels and restaurants, room and table reservations, guests and special requests.';
CREATE SCHEMA home_services;
COMMENT ON SCHEMA home_services IS 'Home-services vertical: HVAC, plumbing and electrical contractors, technicians, jobs, estimates and maintenance plans.';
CREATE SCHEMA automotive;
COMMENT ON SCHEMA automotive IS 'Automotive vertical: dealerships, inventory, test drives, service appointments, trade-ins and financing.';
CREATE SCHEMA reporting;
COMMENT ON SCHEMA reporting IS 'Maintained rollups that reporting tools read instead of scanning the lead tables.';

-- The role MCP callers run as (the gateway enters it per call with SET LOCAL ROLE). Roles are cluster-wide on a
-- PostgreSQL server, so another database on the same server may have created it already.
DO $$
BEGIN
  CREATE ROLE leads_reader NOLOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END
$$;
