-- 0014: a deal's external ids found by the deal.  deal_external_ids is
-- keyed by (source, external_id), the API's lookup; reading a deal's ids
-- (an export, a deal shown, the API's import of a deal it knows) searched
-- the whole table for each deal, so an export of 50,000 deals synced
-- from a CRM read it 50,000 times.
CREATE INDEX deal_external_ids_deal ON deal_external_ids(deal_id);
