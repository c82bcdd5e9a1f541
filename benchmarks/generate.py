"""A deterministic national-scale dataset, written straight into the normalised tables that ingest produces
(output/data/*.parquet), so the compute and build benchmarks start from national volumes without spending
their time on XML: 600 organisations, 2017–2025, about 150,000 notices, 10 million spend lines, 200,000
suppliers, a contract register with evaluations, training records and suppliers' accounts (numbers scale
with --scale). The same seed gives the same files.

    python benchmarks/generate.py --out benchmarks/out/national [--scale 1.0]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from analysis.ingest import survey_items
from analysis.ingest.vocabularies import STANDARDS
from analysis.orgnr import with_check_digit

YEARS = list(range(2017, 2026))
TYPES = (["state"] * 200 + ["municipality"] * 356 + ["county"] * 15 + ["health"] * 20 + ["enterprise"] * 9)
CPV = ["72000000", "48000000", "30200000", "45000000", "79400000", "85000000", "73100000", "73000000", "90500000"]
PROCEDURES = ["open", "restricted", "neg-w-call", "neg-wo-call", "comp-dial", "innovation"]
INNOVATIVE = ["mar-nov", "org-nov", "fp-requ", "buy-eff", "rd-act", "proc-innov", "prod-innov"]
SIZES = ["micro", "small", "medium", "large"]


def org_numbers(n: int, start: int) -> list[str]:
    found, base = [], start
    while len(found) < n:
        number = with_check_digit(str(base))
        if number:
            found.append(number)
        base += 1
    return found


def dictionary(indices: np.ndarray, values: list[str]) -> pa.DictionaryArray:
    return pa.DictionaryArray.from_arrays(pa.array(indices.astype(np.int32)), pa.array(values, pa.string()))


def write(table: pa.Table, out: Path, name: str) -> None:
    pq.write_table(table.replace_schema_metadata(None), out / f"{name}.parquet", compression="zstd")


def generate(out: Path, scale: float = 1.0, seed: int = 2026) -> dict[str, int]:
    rng = np.random.default_rng(seed)
    out.mkdir(parents=True, exist_ok=True)
    orgs = org_numbers(600, 90_000_000)
    suppliers = org_numbers(int(200_000 * scale), 91_000_000)
    write(pa.table({"org_nr": orgs, "name": [f"Virksomhet {i:03d}" for i in range(600)], "org_type": TYPES}),
          out, "organisations")
    # ------------------------------------------------------------------ suppliers
    n_sup = len(suppliers)
    employees = np.round(rng.lognormal(2.2, 1.6, n_sup)).astype(np.int64)
    founded = rng.integers(np.datetime64("1960-01-01").astype(int), np.datetime64("2025-06-01").astype(int), n_sup)
    write(pa.table({
        "org_nr": suppliers, "name": [f"Leverandør {i}" for i in range(n_sup)],
        "org_form": dictionary(rng.choice(4, n_sup, p=[0.7, 0.03, 0.17, 0.1]), ["AS", "ASA", "ENK", "NUF"]),
        "employees": pa.array(employees, mask=rng.random(n_sup) < 0.05),
        "founded": pa.array(np.datetime_as_string(founded.astype("datetime64[D]"))),
        "nace": dictionary(rng.integers(0, 5, n_sup), ["62.010", "41.000", "70.220", "86.101", "49.410"]),
    }), out, "suppliers")
    # ------------------------------------------------------------------ notices (competition, result, planning)
    n_cn = int(90_000 * scale)
    n_res, n_pin = n_cn // 2, int(15_000 * scale)
    n = n_cn + n_res + n_pin
    form = np.array(["competition"] * n_cn + ["result"] * n_res + ["planning"] * n_pin)
    buyer = rng.integers(0, 600, n_cn)
    buyer = np.concatenate([buyer, buyer[:n_res], rng.integers(0, 600, n_pin)])
    days = rng.integers(np.datetime64("2017-01-01").astype(int), np.datetime64("2025-12-31").astype(int), n_cn)
    days = np.concatenate([days, days[:n_res] + rng.integers(20, 200, n_res), rng.integers(
        np.datetime64("2017-01-01").astype(int), np.datetime64("2025-12-31").astype(int), n_pin)])
    days = np.minimum(days, np.datetime64("2025-12-31").astype(int))
    issue = np.datetime_as_string(days.astype("datetime64[D]"))
    ids = [f"n{i:07d}" for i in range(n)]
    folders = [f"f{i:07d}" for i in range(n_cn)] + [f"f{i:07d}" for i in range(n_res)] + \
        [f"p{i:07d}" for i in range(n_pin)]
    procedure = rng.choice(len(PROCEDURES), n, p=[0.62, 0.12, 0.15, 0.07, 0.025, 0.015])
    joint = rng.random(n) < 0.02
    write(pa.table({
        "notice_id": ids, "version": dictionary(np.zeros(n), ["01"]), "folder_id": folders,
        "subtype": dictionary(rng.integers(0, 2, n), ["16", "E3"]), "form_type": pa.array(form),
        "notice_type": dictionary(np.zeros(n), ["bench"]), "issue_date": pa.array(issue),
        "year": pa.array([d[:4] for d in issue]), "above_eea": pa.array(rng.random(n) < 0.3),
        "procedure_type": pa.array(np.array(PROCEDURES)[procedure], mask=form == "planning"),
        "main_cpv": pa.array(np.array(CPV)[rng.choice(len(CPV), n, p=[.2, .15, .15, .15, .1, .1, .05, .02, .08])]),
        "changed_notice": pa.nulls(n, pa.string()), "n_buyers": pa.array(1 + joint.astype(np.int64)),
        "source": dictionary(np.zeros(n), ["bench"]), "converted": pa.array(np.zeros(n, dtype=bool)),
        "sdk": dictionary(np.zeros(n), ["1.10"]),
        "internal_id": [f"{issue[i][2:4]}/{folder[1:]}" for i, folder in enumerate(folders)],  # the buyer's case
        "publication_id": pa.nulls(n, pa.string()), "doffin_id": [f"{d[:4]}-{i:06d}" for i, d in enumerate(issue)],
        "title": [f"Anskaffelse {folder[1:]}" for folder in folders],
        "estimated_value": pa.nulls(n, pa.float64()), "currency": pa.nulls(n, pa.string()),
    }), out, "notices")
    second = (buyer + 1 + rng.integers(0, 599, n)) % 600
    nb_ids = ids + [ids[i] for i in np.flatnonzero(joint)]
    nb_orgs = [orgs[b] for b in buyer] + [orgs[second[i]] for i in np.flatnonzero(joint)]
    write(pa.table({"notice_id": nb_ids, "version": dictionary(np.zeros(len(nb_ids)), ["01"]), "org_nr": nb_orgs,
                    "raw_id": nb_orgs, "legal_type": dictionary(np.zeros(len(nb_ids)), ["cga"]),
                    "name": pa.nulls(len(nb_ids), pa.string()), "postal_code": pa.nulls(len(nb_ids), pa.string()),
                    "resolved_by_name": pa.array(np.zeros(len(nb_ids), dtype=bool))}),
          out, "notice_buyers")
    # ------------------------------------------------------------------ lots, awards, submissions
    n_lots = rng.choice([1, 1, 1, 2, 2, 3, 4], n)
    lot_notice = np.repeat(np.arange(n), n_lots)
    lot_no = np.concatenate([np.arange(k) for k in n_lots])
    m = len(lot_notice)
    codes = [list(rng.choice(INNOVATIVE, rng.integers(1, 3), replace=False)) if r < 0.1 else []
             for r in rng.random(m)]
    sme = rng.random(m)
    write(pa.table({
        "notice_id": [ids[i] for i in lot_notice], "version": dictionary(np.zeros(m), ["01"]),
        "lot_id": [f"LOT-{k + 1:04d}" for k in lot_no], "main_cpv": pa.array(np.array(CPV)[rng.integers(0, 9, m)]),
        "sme_suitable": pa.array(sme < 0.55, mask=sme > 0.85),
        "strategic": pa.array([["inn-pur"] if r < 0.03 else [] for r in rng.random(m)], pa.list_(pa.string())),
        "innovative": pa.array(codes, pa.list_(pa.string())),
        "variants": dictionary(rng.choice(3, m, p=[0.8, 0.15, 0.05]), ["not-allowed", "allowed", "required"]),
    }), out, "lots")
    awarded = np.flatnonzero(form[lot_notice] == "result")
    k = len(awarded)
    winners = rng.integers(0, n_sup, k)
    write(pa.table({
        "notice_id": [ids[lot_notice[i]] for i in awarded], "version": dictionary(np.zeros(k), ["01"]),
        "lot_id": [f"LOT-{lot_no[i] + 1:04d}" for i in awarded],
        "winner_org_nr": pa.array([suppliers[w] for w in winners], mask=rng.random(k) < 0.15),
        "winner_size": pa.array(np.array(SIZES)[rng.integers(0, 4, k)], mask=rng.random(k) < 0.2),
    }), out, "awards")
    tenders = rng.integers(1, 10, k)
    sme_tenders = np.minimum(tenders, rng.integers(0, 8, k))
    sub_idx = np.repeat(awarded, 2)
    write(pa.table({
        "notice_id": [ids[lot_notice[i]] for i in sub_idx], "version": dictionary(np.zeros(2 * k), ["01"]),
        "lot_id": [f"LOT-{lot_no[i] + 1:04d}" for i in sub_idx],
        "code": dictionary(np.tile([0, 1], k), ["tenders", "t-sme"]),
        "count": np.column_stack([tenders, sme_tenders]).ravel().astype(np.int64),
    }), out, "submissions")
    # ------------------------------------------------------------------ spend (10 million lines)
    s = int(10_000_000 * scale)
    spend_days = rng.integers(np.datetime64("2017-01-01").astype(int), np.datetime64("2025-12-31").astype(int), s)
    all_days = np.arange(np.datetime64("2017-01-01").astype(int), np.datetime64("2025-12-31").astype(int) + 1)
    day_strings = list(np.datetime_as_string(all_days.astype("datetime64[D]")))
    day_index = spend_days - all_days[0]
    amount = np.round(rng.lognormal(9.5, 1.8, s)).astype(np.int64) * np.where(rng.random(s) < 0.03, -1, 1)
    supplier_index = np.minimum((rng.pareto(1.2, s) * 2000).astype(np.int64), n_sup - 1)
    supplier_index = np.where(rng.random(s) < 0.02, n_sup, supplier_index)  # 2 %: no valid number
    years = [str(y) for y in YEARS]
    day_year = np.array([int(d[:4]) - YEARS[0] for d in day_strings])
    write(pa.table({
        "org_nr": dictionary(rng.integers(0, 600, s), orgs),
        "supplier_org_nr": pa.DictionaryArray.from_arrays(
            pa.array(supplier_index.astype(np.int32), mask=supplier_index == n_sup), pa.array(suppliers)),
        "amount_ore": amount, "invoice_date": dictionary(day_index, day_strings),
        "year": dictionary(day_year[day_index], years),
    }), out, "spend")
    # ------------------------------------------------------------------ surveys
    items = survey_items()
    item_ids = list(items)
    levels = 2 + 2.5 * rng.random(600)
    counts = rng.integers(3, 15, (600, len(YEARS)))
    org_of = np.repeat(np.repeat(np.arange(600), len(YEARS)), counts.ravel())
    year_of = np.repeat(np.tile(np.arange(len(YEARS)), 600), counts.ravel())
    respondents = len(org_of)
    lo = np.array([items[i]["scale"][0] for i in item_ids], dtype=float)
    hi = np.array([items[i]["scale"][1] for i in item_ids], dtype=float)
    level = levels[org_of][:, None]
    scaled = np.clip(np.round(rng.normal(level * hi / 5, 0.9)), lo, hi)
    binary = (rng.random((respondents, len(item_ids))) < level / 5).astype(float)
    values = np.where(hi == 1, binary, scaled)
    write(pa.table({
        "org_nr": dictionary(np.repeat(org_of, len(item_ids)), orgs),
        "year": dictionary(np.repeat(year_of, len(item_ids)), [str(y) for y in YEARS]),
        "respondent_id": dictionary(np.repeat(np.arange(respondents), len(item_ids)),
                                    [f"R{i:07d}" for i in range(respondents)]),
        "item_id": dictionary(np.tile(np.arange(len(item_ids)), respondents), item_ids),
        "value": values.ravel()}), out, "surveys")
    # ------------------------------------------------------------------ gain register
    goals, measures, impls, effects = [], [], [], []
    for o, org in enumerate(orgs):
        for g in range(1 + o % 3):
            gid, start = f"M{o:03d}-{g}", int(rng.integers(2018, 2022))
            goals.append({"goal_id": gid, "org_nr": org, "text": "Flere innovative anskaffelser", "indicator_ref": "P4",
                          "baseline_value": 0.02, "baseline_date": f"{start}-01-15", "target_value": 0.1,
                          "target_year": "2026", "owner": "Innkjøpssjef", "risk_likelihood": "3",
                          "risk_consequence": "2", "risk_text": "Umodent marked"})
            for t in range(2):
                mid = f"{gid}-T{t}"
                measures.append({"measure_id": mid, "goal_id": gid, "description": "Markedsdialog",
                                 "start": f"{start + t}-03-01", "end": f"{start + t + 1}-12-31", "cost_nok": 250000})
                impls.append({"measure_id": mid, "status": "done", "date": f"{start + t}-06-01", "doffin_ids": None})
            for year in range(start + 1, 2026):
                effects.append({"effect_id": f"{gid}-E{year}", "goal_id": gid, "gain_type": "efficiency",
                                "unit": "NOK", "planned_value": 500000, "realised_value": int(rng.integers(1e5, 7e5)),
                                "date": f"{year}-12-31", "evidence": "Årsrapport"})
    for name, data in (("goals", goals), ("measures", measures), ("implementations", impls), ("effects", effects)):
        table = pa.Table.from_pylist(data)
        if name == "implementations":
            table = table.set_column(3, "doffin_ids", pa.nulls(len(data), pa.string()))
        write(table, out, name)
    # ------------------------------------------------------------------ contracts, evaluations, training, accounts
    signed = np.minimum(days[:n_cn] + rng.integers(60, 150, n_cn), np.datetime64("2025-12-31").astype(int))
    has = np.flatnonzero(rng.random(n_cn) < 0.6)  # contracts of 60 % of the procedures
    c = len(has)
    friendly = rng.random(c) < 0.25
    flags = {name: pa.array(rng.random(c) < np.where(friendly, 0.6, 0.1), mask=rng.random(c) < 0.08)
             for name in ("development_phases", "ipr", "scaling", "new_to_market", "new_to_org")}
    contract_ids = [f"K{i:07d}" for i in range(c)]
    write(pa.table({
        "org_nr": [orgs[buyer[i]] for i in has], "contract_id": contract_ids,
        "procurement_id": [folders[i] for i in has],
        "supplier_org_nr": [suppliers[s] for s in rng.integers(0, n_sup, c)],
        "signed_date": pa.array(np.datetime_as_string(signed[has].astype("datetime64[D]"))),
        "standard": pa.array(np.array(STANDARDS)[rng.integers(0, len(STANDARDS), c)]),
        **flags, "innovation_friendly": pa.array(friendly)}), out, "contracts")
    evaluated = np.flatnonzero(friendly & (rng.random(c) < 0.7))
    write(pa.table({
        "contract_id": [contract_ids[i] for i in evaluated],
        "evaluation_date": pa.array(np.datetime_as_string((signed[has][evaluated] + 365).astype("datetime64[D]"))),
        "score": rng.integers(1, 6, len(evaluated)), "respondent_id": pa.array(["E1"] * len(evaluated))}),
        out, "evaluations")
    fte = np.maximum(2.0, np.round(rng.lognormal(1.5, 0.8, 600), 1))
    write(pa.table({
        "org_nr": np.repeat(orgs, len(YEARS)).tolist(), "year": [str(y) for y in YEARS] * 600,
        "procurement_fte": np.repeat(fte, len(YEARS)),
        "trained_fte": np.round(np.repeat(fte, len(YEARS)) * rng.uniform(0, 0.5, 600 * len(YEARS)), 1)}),
        out, "training")
    filers = suppliers[: n_sup // 4]  # the suppliers that win most (the winners' index is skewed to the start)
    account_years = list(range(YEARS[0] - 1, YEARS[-1] + 1))
    revenue = np.round(rng.lognormal(16, 1.2, len(filers))[:, None] * rng.uniform(0.8, 1.35, (len(filers),
                                                                                               len(account_years))))
    write(pa.table({
        "org_nr": np.repeat(filers, len(account_years)).tolist(),
        "year": [str(y) for y in account_years] * len(filers),
        "period_start": [f"{y}-01-01" for y in account_years] * len(filers),
        "period_end": [f"{y}-12-31" for y in account_years] * len(filers),
        "currency": pa.array(["NOK"] * (len(filers) * len(account_years))), "revenue": revenue.ravel()}),
        out, "accounts")
    (out / "quality.json").write_text('{"files": {}, "rows": {}, "counts": {}, "unknown_codes": []}\n')
    return {"organisations": 600, "notices": n, "lots": m, "spend": s, "suppliers": n_sup,
            "survey_answers": int(values.size), "contracts": c, "evaluations": len(evaluated),
            "accounts": len(filers) * len(account_years)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("benchmarks/out/national/data"))
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    start = time.perf_counter()
    counts = generate(args.out, args.scale)
    print(f"generated {counts} in {time.perf_counter() - start:.1f} s into {args.out}")


if __name__ == "__main__":
    main()
