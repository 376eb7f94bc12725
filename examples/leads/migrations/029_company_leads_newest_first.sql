-- search_leads' first page reads each matched company name's leads newest first, a page of them at most
-- (RANKED_FIRST_PAGE_SQL): a company name is held by thousands of leads in one stage at a million ("Parkview Smile
-- Dental": 2,804), and reading all of them to sort took 14 to 30 ms. With the stage, the usual filter, before
-- created_at, the index returns a stage's leads of one name newest first; with no stage it still finds the name's
-- leads. The columns migration 023 included are gone: the statement reads each lead's row, which holds them.
DROP INDEX crm.leads_company_name_search_idx;
CREATE INDEX leads_company_name_search_idx ON crm.leads (company_name, stage_id, created_at, id);
