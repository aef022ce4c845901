-- The catalogue search moved into memory (src/modules/catalogue/catalogue.search.ts): every instance indexes the
-- definitions it loaded at boot, so the text vectors, the trigram text and their indexes here have no reader left.
-- Ranking thousands of matches in SQL cost 290 ms at p95 over 6,000 services; the index in memory answers in a few.
-- catalogue_entries stays as the catalogue in SQL (office, audience, life situations, titles) for reports and joins.
drop index if exists catalogue_search_de;
drop index if exists catalogue_search_en;
drop index if exists catalogue_search_trgm;
alter table catalogue_entries drop column search_de, drop column search_en, drop column search_text;
