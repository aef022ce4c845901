-- Back-office search by case reference, applicant name, e-mail or address, over a million cases. One folded text per
-- case (lower case, umlauts as ae/oe/ue, ß as ss, accents dropped), so "Müller", "Mueller" and "MÜLLER" find the same
-- person; substrings of it ("muell", "2026-0001", "hohe str") are found through the trigram index. A stored generated
-- column keeps itself up to date on every insert and update, COPY and insert … select of generate-cases included.
create function case_search_fold(value text) returns text language sql immutable parallel safe as $$
  -- The last character of the first list, a combining dot above (lower('İ') in some locales), has no partner: dropped.
  select translate(
    replace(replace(replace(replace(lower(value), 'ä', 'ae'), 'ö', 'oe'), 'ü', 'ue'), 'ß', 'ss'),
    'áàâãåāăąéèêëēėęěíìîïīıóòôõøōőúùûūůűçćčđďñńňşśšţťğłľžźżýÿř̇',
    'aaaaaaaaeeeeeeeeiiiiiiooooooouuuuuucccddnnnsssttgllzzzyyr')
$$;

-- The addresses among the answers: an address field's answer is an object with street, houseNumber, postalCode, city.
create function case_search_addresses(answers jsonb) returns text language sql immutable parallel safe as $$
  select coalesce(string_agg(coalesce(v->>'street', '') || ' ' || coalesce(v->>'houseNumber', '') || ' '
                             || coalesce(v->>'postalCode', '') || ' ' || coalesce(v->>'city', ''), ' '), '')
  from jsonb_each(case when jsonb_typeof(answers) = 'object' then answers else '{}'::jsonb end) as e(k, v)
  where jsonb_typeof(v) = 'object' and v ? 'street'
$$;

alter table cases add column search_text text generated always as (
  case_search_fold(reference || ' ' || applicant_name || ' ' || coalesce(applicant_email, '') || ' ' || case_search_addresses(answers))
) stored;

create index cases_search on cases using gin (search_text gin_trgm_ops);
