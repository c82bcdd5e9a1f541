-- The normalised tables as views that the indicator queries read. `{{ data }}` is ingest's output.
-- Procedures are counted once: the latest notice of a contract folder (BT-04) wins over earlier
-- versions and over the notices that change notices replace; its year is that of its first publication.
CREATE OR REPLACE VIEW orgs AS SELECT * FROM read_parquet('{{ data }}/organisations.parquet');
CREATE OR REPLACE VIEW notices AS SELECT * FROM read_parquet('{{ data }}/notices.parquet');
CREATE OR REPLACE VIEW notice_buyers AS
    SELECT DISTINCT notice_id, version, org_nr FROM read_parquet('{{ data }}/notice_buyers.parquet')
    WHERE org_nr IS NOT NULL;
-- A buyer's name as its notices give it (the first in sort order of those it uses): for buyers without a report.
CREATE OR REPLACE VIEW buyer_names AS
    SELECT org_nr, min(name) AS name FROM read_parquet('{{ data }}/notice_buyers.parquet')
    WHERE org_nr IS NOT NULL AND name IS NOT NULL GROUP BY org_nr;
CREATE OR REPLACE VIEW lots AS SELECT * FROM read_parquet('{{ data }}/lots.parquet');
CREATE OR REPLACE VIEW awards AS SELECT * FROM read_parquet('{{ data }}/awards.parquet');
CREATE OR REPLACE VIEW submissions AS SELECT * FROM read_parquet('{{ data }}/submissions.parquet');
CREATE OR REPLACE VIEW suppliers AS SELECT * FROM read_parquet('{{ data }}/suppliers.parquet');
CREATE OR REPLACE VIEW spend AS SELECT * FROM read_parquet('{{ data }}/spend.parquet');
CREATE OR REPLACE VIEW surveys AS SELECT * FROM read_parquet('{{ data }}/surveys.parquet');
CREATE OR REPLACE VIEW goals AS SELECT * FROM read_parquet('{{ data }}/goals.parquet');
CREATE OR REPLACE VIEW measures AS SELECT * FROM read_parquet('{{ data }}/measures.parquet');
CREATE OR REPLACE VIEW effects AS SELECT * FROM read_parquet('{{ data }}/effects.parquet');

-- One row per procedure and form type: the latest notice of each contract folder.
CREATE OR REPLACE VIEW procedures AS
WITH ranked AS (
    SELECT *,
           row_number() OVER (PARTITION BY form_type, folder_id
                              ORDER BY issue_date DESC, version DESC, notice_id DESC) AS rank,
           min(issue_date) OVER (PARTITION BY form_type, folder_id) AS first_issue_date
    FROM notices
)
SELECT p.*, substr(p.first_issue_date, 1, 4) AS procedure_year, b.org_nr
FROM ranked p JOIN notice_buyers b USING (notice_id, version)
WHERE p.rank = 1;

-- Competition-notice procedures and their lots, per buyer. `announced`: the day the procedure was first
-- announced (its first competition notice), not that of a later change notice.
CREATE OR REPLACE VIEW cn_procedures AS
SELECT org_nr, procedure_year AS year, notice_id, version, folder_id, procedure_type, above_eea,
       left(main_cpv, 8) AS main_cpv, n_buyers, CAST(first_issue_date AS DATE) AS announced
FROM procedures WHERE form_type = 'competition';

-- BT-776 (innovative acquisition) is an opt-in code list: a buyer that fills it in at least one of its
-- notices in a year says "none" by leaving it empty elsewhere that year; a buyer that never fills it has
-- not reported. A notice converted from TED XML cannot answer it (its list is NULL, not empty).
CREATE OR REPLACE VIEW bt776_users AS
SELECT DISTINCT b.org_nr, n.year
FROM notices n JOIN notice_buyers b USING (notice_id, version) JOIN lots l USING (notice_id, version)
WHERE len(l.innovative) > 0;

-- Lots of competition notices. `sme_suitable` (BT-726) and `variants` (BT-63) are NULL where not filled
-- (unknown, not "no"); `bt776_answers` says whether the lot can answer BT-776 (see bt776_users).
CREATE OR REPLACE VIEW cn_lots AS
SELECT p.org_nr, p.year, p.folder_id, p.procedure_type, l.lot_id, l.sme_suitable, l.variants,
       coalesce(l.strategic, []) AS strategic, coalesce(l.innovative, []) AS innovative,
       l.innovative IS NOT NULL AND u.org_nr IS NOT NULL AS bt776_answers
FROM cn_procedures p JOIN lots l USING (notice_id, version)
LEFT JOIN bt776_users u ON u.org_nr = p.org_nr AND u.year = p.year;

-- Innovation-flagged: BT-06 inn-pur, any BT-776 code, or an innovation-friendly procedure (BT-105).
CREATE OR REPLACE VIEW cn_lots_flagged AS
SELECT *, (list_contains(strategic, 'inn-pur') OR len(innovative) > 0
           OR procedure_type IN ('innovation', 'comp-dial')) AS innovation_flagged
FROM cn_lots;

-- Awards per buyer: those of each procedure's latest result notice or, where no result notice of the procedure
-- is in the data, of its latest direct-award notice (VEAT, form type dir-awa-pre), which names the winner too.
CREATE OR REPLACE VIEW can_awards AS
SELECT p.org_nr, p.procedure_year AS year, p.folder_id, left(p.main_cpv, 8) AS main_cpv, p.issue_date,
       a.lot_id, a.winner_org_nr, a.winner_size
FROM procedures p JOIN awards a USING (notice_id, version)
WHERE p.form_type = 'result'
   OR (p.form_type = 'dir-awa-pre'
       AND NOT EXISTS (SELECT 1 FROM procedures r WHERE r.form_type = 'result' AND r.folder_id = p.folder_id));

-- Tender statistics (BT-759/BT-760) come from result notices only: a direct award has no competition.
CREATE OR REPLACE VIEW can_submissions AS
SELECT p.org_nr, p.procedure_year AS year, p.folder_id, s.lot_id, s.code, s.count
FROM procedures p JOIN submissions s USING (notice_id, version)
WHERE p.form_type = 'result';

-- The lots of each procedure's latest result notice, per buyer: the lots it lists and any other lot its
-- statistics name. A lot without statistics is still a lot of the result: it cannot answer, and lowers coverage.
CREATE OR REPLACE VIEW can_lots AS
SELECT DISTINCT p.org_nr, p.procedure_year AS year, p.folder_id, u.lot_id
FROM procedures p
JOIN (SELECT notice_id, version, lot_id FROM lots UNION SELECT notice_id, version, lot_id FROM submissions) u
    USING (notice_id, version)
WHERE p.form_type = 'result';

-- Spend lines with the supplier's size and age classified by the configured rules (NULL: unknown).
CREATE OR REPLACE VIEW spend_classified AS
SELECT s.org_nr, s.year, s.amount_ore, s.supplier_org_nr,
       CASE WHEN u.employees IS NULL THEN NULL
            ELSE u.employees < {{ settings.sme_max_employees }} END AS is_sme,
       CASE WHEN u.founded IS NULL OR u.org_form IS NULL THEN NULL
            ELSE u.org_form IN ({{ settings.startup_org_forms | sqllist }})
                 AND CAST(u.founded AS DATE) > CAST(s.invoice_date AS DATE)
                     - INTERVAL {{ settings.startup_max_age_years }} YEAR END AS is_startup
FROM spend s LEFT JOIN suppliers u ON u.org_nr = s.supplier_org_nr;

-- Survey answers joined to the item map.
CREATE OR REPLACE VIEW survey_answers AS
SELECT s.*, i.indicator FROM surveys s JOIN survey_items i USING (item_id);

-- The organisation's own registers (contracts/, evaluations/, training/).
CREATE OR REPLACE VIEW contracts AS SELECT * FROM read_parquet('{{ data }}/contracts.parquet');
CREATE OR REPLACE VIEW evaluations AS SELECT * FROM read_parquet('{{ data }}/evaluations.parquet');
CREATE OR REPLACE VIEW training AS SELECT * FROM read_parquet('{{ data }}/training.parquet');

-- The names a buyer's procedures go by in its contract register: the contract folder ID (BT-04) and, of each
-- notice in the folder, the notice ID, the Doffin number (from the file's name, as Doffin names its notices),
-- the OJ S publication number (where it is one: Doffin writes "n.a.") and, where the buyer procures alone, its
-- own reference (BT-22, such as its case number; in a joint procurement it is the lead buyer's).
CREATE OR REPLACE VIEW procedure_refs AS
SELECT DISTINCT org_nr, folder_id, ref FROM (
    SELECT b.org_nr, n.folder_id,
           unnest([n.folder_id::VARCHAR, n.notice_id::VARCHAR, n.doffin_id::VARCHAR,
                   CASE WHEN regexp_full_match(n.publication_id::VARCHAR, '\d{4}/S \d{3}-\d{6}|\d{6,8}-\d{4}')
                        THEN n.publication_id::VARCHAR END,
                   CASE WHEN n.n_buyers = 1 THEN n.internal_id::VARCHAR END]) AS ref
    FROM notices n JOIN notice_buyers b USING (notice_id, version))
WHERE ref IS NOT NULL;

-- Each contract of the register and the procedure it came from: the one procedure of the buyer its
-- procurement ID names (an ID that names more than one, such as a case number used again, names none).
-- `procedure`: that procedure's folder ID, else the register's own procurement ID (no notice, e.g. below the
-- threshold). `fit`: the contract is fit for innovation (settings.innovation_contract_standards, or it
-- provides for development phases, the use of rights and scaling up); NULL where it leaves one empty.
CREATE OR REPLACE VIEW register_contracts AS
WITH named AS (
    SELECT c.contract_id, min(r.folder_id) AS folder_id
    FROM contracts c JOIN procedure_refs r ON r.org_nr = c.org_nr AND r.ref = c.procurement_id
    GROUP BY c.contract_id HAVING count(DISTINCT r.folder_id) = 1)
SELECT c.*, n.folder_id, coalesce(n.folder_id, c.procurement_id) AS procedure,
       c.standard IN ({{ settings.innovation_contract_standards | sqllist }})
           OR (c.development_phases AND c.ipr AND c.scaling) AS fit
FROM contracts c LEFT JOIN named n USING (contract_id);

-- Procurements in the contract register, one row per buyer and procedure (however its contracts name it).
-- `year` is the procedure's year where its competition notice is known, else the year of its first signed
-- contract. Innovation-flagged: its notice is (cn_lots_flagged) or the register classifies it as new to the
-- market, new to the organisation or innovation-friendly. `fit`: one of its contracts is fit; NULL where none
-- is and one of them leaves a provision empty (unknown, not "no").
CREATE OR REPLACE VIEW register_procurements AS
WITH notice_flags AS (
    SELECT p.org_nr, p.year, p.folder_id, bool_or(f.innovation_flagged) AS flagged
    FROM cn_procedures p JOIN cn_lots_flagged f USING (org_nr, year, folder_id) GROUP BY ALL)
SELECT c.org_nr, c.procedure, min(c.folder_id) AS folder_id,
       coalesce(min(n.year), substr(min(c.signed_date), 1, 4)) AS year,
       coalesce(bool_or(n.flagged), FALSE) OR coalesce(bool_or(c.new_to_market), FALSE)
           OR coalesce(bool_or(c.new_to_org), FALSE) OR coalesce(bool_or(c.innovation_friendly), FALSE) AS flagged,
       bool_or(c.new_to_market) AS new_to_market, bool_or(c.new_to_org) AS new_to_org,
       CASE WHEN bool_or(c.fit) THEN TRUE WHEN count(*) > count(c.fit) THEN NULL ELSE FALSE END AS fit
FROM register_contracts c LEFT JOIN notice_flags n ON n.org_nr = c.org_nr AND n.folder_id = c.folder_id
GROUP BY c.org_nr, c.procedure;

-- Regnskapsregisteret: one filing per company and calendar year (the year its period ends in), revenue in
-- NOK or NULL (absent, or in another currency). A firm's growth from one year to two years later, where
-- both are known and the first is above 0, with the NACE section (settings.nace_sections) of its
-- Enhetsregisteret naeringskode1.
CREATE OR REPLACE VIEW accounts AS SELECT * FROM read_parquet('{{ data }}/accounts.parquet');
CREATE OR REPLACE VIEW firm_growth AS
WITH sections AS (
    SELECT org_nr, CASE {% for section, divisions in settings.nace_sections.items() %}
        WHEN TRY_CAST(left(nace, 2) AS INTEGER) BETWEEN {{ divisions[0] }} AND {{ divisions[1] }} THEN '{{ section }}'
        {%- endfor %} END AS section
    FROM suppliers)
SELECT a.org_nr, a.year, b.revenue / a.revenue - 1 AS growth, s.section
FROM accounts a JOIN accounts b ON b.org_nr = a.org_nr AND CAST(b.year AS INTEGER) = CAST(a.year AS INTEGER) + 2
LEFT JOIN sections s ON s.org_nr = a.org_nr
WHERE a.revenue > 0 AND b.revenue IS NOT NULL;
