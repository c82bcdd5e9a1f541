"""The demo's registers and the bodies' own files: Enhetsregisteret units of the suppliers, ledger lines,
survey answers, the gain register, the contract register with its evaluations, training records,
Regnskapsregisteret responses, and a body's commentary on its reports."""

from __future__ import annotations

import csv
import io
import json
import random
import uuid
from datetime import date, timedelta

from ..ingest import survey_items
from .bodies import YEARS


class Registers:
    """The registers of the dataset, mixed into `Demo` (which holds the random streams, the bodies,
    suppliers, procedures and files these methods read and add to). The contract register, the training
    records and the accounts draw from their own stream (`registers_rng`)."""

    def registry(self) -> None:
        units = []
        for s in self.suppliers:
            if self.rng.random() < 0.08:
                continue  # not found in the registry: size and age unknown
            unit = {"organisasjonsnummer": s.org_nr, "navn": s.name.upper(),
                    "organisasjonsform": {"kode": s.org_form, "beskrivelse": s.org_form},
                    "stiftelsesdato": s.founded.isoformat(),
                    "naeringskode1": {"kode": "62.010", "beskrivelse": "Programmeringstjenester"}}
            if s.employees is None:
                unit["harRegistrertAntallAnsatte"] = False
            else:
                unit["antallAnsatte"], unit["harRegistrertAntallAnsatte"] = s.employees, True
            units.append(unit)
        half = len(units) // 2
        self.files["suppliers/enheter-bulk.json"] = json.dumps(units[:half], ensure_ascii=False, indent=1) + "\n"
        page = {"_embedded": {"enheter": units[half:]},
                "page": {"size": len(units) - half, "totalElements": len(units) - half, "totalPages": 1, "number": 0}}
        self.files["suppliers/enheter-search-page1.json"] = json.dumps(page, ensure_ascii=False, indent=1) + "\n"

    def spend(self) -> None:
        rng = self.rng
        for body in self.bodies:
            rows = [("org_nr", "supplier_org_nr", "amount_nok", "invoice_date")]
            for year in YEARS:
                tilt = body.sme + 0.01 * (year - YEARS[0])
                for _ in range(body.size * 12):
                    small = [s for s in self.suppliers if s.employees is not None and s.employees < 250]
                    supplier = rng.choice(small if rng.random() < tilt else self.suppliers)
                    amount = round(rng.lognormvariate(10.5, 1.2), 2) * (-1 if rng.random() < 0.03 else 1)
                    day = date(year, 1, 1) + timedelta(days=rng.randint(0, 364))
                    rows.append((body.org_nr, supplier.org_nr, f"{amount:.2f}", day.isoformat()))
            if body.org_type == "municipality":  # a Norwegian finance-system export: ';' and decimal comma
                rows = [(a, b, c.replace(".", ","), d) for a, b, c, d in rows]
                self.files[f"spend/{body.org_nr}.csv"] = csv_text(rows, ";")
            else:
                self.files[f"spend/{body.org_nr}.csv"] = csv_text(rows)

    def surveys(self) -> None:
        rng, items = self.rng, survey_items()
        rows = [("org_nr", "year", "respondent_id", "item_id", "value")]
        for body in self.bodies:
            for year in YEARS:
                respondents = rng.randint(3, 6) if body.size < 9 else rng.randint(5, 14)
                level = 2.0 + 6 * body.share(year)
                for r in range(respondents):
                    rid = f"R{year}-{body.org_nr[-4:]}-{r:02d}"
                    for item_id, item in items.items():
                        lo, hi = item["scale"]
                        if rng.random() < 0.05 and item["dont_know"]:
                            value = item["dont_know"][0]
                        elif hi == 1:
                            value = str(int(rng.random() < (0.3 + body.share(year) if item_id.startswith("s")
                                                          else 0.5 - body.share(year) / 2)))
                        else:
                            value = str(min(hi, max(lo, round(rng.gauss(level * hi / 5, 0.8)))))
                        rows.append((body.org_nr, str(year), rid, item_id, value))
        self.files["surveys/anskaffelsesundersokelsen.csv"] = csv_text(rows)

    def gains(self) -> None:
        rng = self.rng
        goals = [("goal_id", "org_nr", "text", "indicator_ref", "baseline_value", "baseline_date", "target_value",
                  "target_year", "owner", "risk_likelihood", "risk_consequence", "risk_text")]
        measures = [("measure_id", "goal_id", "description", "start", "end", "cost_nok")]
        impls = [("measure_id", "status", "date", "doffin_ids")]
        effects = [("effect_id", "goal_id", "gain_type", "unit", "planned_value", "realised_value", "date",
                    "evidence")]
        for b, body in enumerate(self.bodies):
            for g in range(1 + b % 3):
                goal_id = f"M{b + 1:02d}-{g + 1}"
                kind = rng.choice(["P4", "G3", "G2-NOK", "E2"])
                words = body.words
                start = rng.choice([2019, 2020, 2021])
                baseline = {"P4": 0.02, "G3": 0.03, "G2-NOK": 0.0, "E2": 0.0}[kind]
                target = {"P4": 0.10, "G3": 0.12, "G2-NOK": 5_000_000, "E2": 800}[kind]
                goals.append((goal_id, body.org_nr, words[kind], kind, str(baseline), f"{start}-01-15", str(target),
                              "2026", rng.choice(words["owners"]), str(rng.randint(1, 5)), str(rng.randint(1, 5)),
                              rng.choice(words["risks"])))
                for m in range(2):
                    mid = f"{goal_id}-T{m + 1}"
                    mstart = date(start + m, 3, 1)
                    measures.append((mid, goal_id, rng.choice(words["measures"]),
                                     mstart.isoformat(), date(start + m + 1, 12, 31).isoformat(),
                                     str(rng.randint(2, 20) * 50_000)))
                    status = "done" if start + m + 1 < 2025 else rng.choice(["ongoing", "planned"])
                    impls.append((mid, status, date(start + m, 6, 1).isoformat(), ""))
                gain_type, unit = {"G2-NOK": ("efficiency", "NOK"), "E2": ("co2e", "tCO2e")}.get(
                    kind, ("efficiency", "NOK"))
                for year in range(start + 1, 2026):
                    planned = (target if kind in ("G2-NOK", "E2") else 1_000_000) / (2026 - start)
                    realised = planned * rng.uniform(0.3, 1.2)
                    effects.append((f"{goal_id}-E{year}", goal_id, gain_type, unit, f"{planned:.0f}",
                                    f"{realised:.0f}", f"{year}-12-31", words["evidence"]))
        self.files["gains/goals.csv"] = csv_text(goals)
        self.files["gains/measures.csv"] = csv_text(measures)
        self.files["gains/implementations.csv"] = csv_text(impls)
        self.files["gains/effects.csv"] = csv_text(effects)

    def contracts(self) -> None:
        """Contracts of most procedures, with the organisation's own classification (it flags some that the
        notices do not), and evaluations a year after signing for about half of them."""
        rng = self.registers_rng
        contracts = [("org_nr", "contract_id", "procurement_id", "supplier_org_nr", "signed_date", "standard",
                      "development_phases", "ipr", "scaling", "new_to_market", "new_to_org", "innovation_friendly")]
        evaluations = [("contract_id", "evaluation_date", "score", "respondent_id")]
        yes_no = {True: "ja", False: "nei", None: ""}
        for k, proc in enumerate(self.procedures):
            if rng.random() > (0.95 if proc.flagged else 0.6):
                continue
            body, share = proc.body, proc.body.share(proc.year)
            friendly = proc.flagged or rng.random() < 0.15 + share / 2
            fit = friendly and rng.random() < 0.4 + share
            standard = (rng.choice(["innovasjonspartnerskap", "utviklingskontrakt", "PS2000", "SSA-D"]) if fit
                        else rng.choice(["SSA-T", "SSA-L", "SSA-D", "SSA-O", "other"]))
            provisions = [fit or rng.random() < 0.3 for _ in range(3)]
            provisions = [None if rng.random() < 0.08 else p for p in provisions]  # left empty: unknown
            signed = proc.issued + timedelta(days=rng.randint(60, 150))
            contract_id = f"K-{body.org_nr[-4:]}-{k:05d}"
            contracts.append((body.org_nr, contract_id, proc.folder, rng.choice(self.suppliers).org_nr,
                              signed.isoformat(), standard, *(yes_no[p] for p in provisions),
                              yes_no[friendly and rng.random() < 0.2], yes_no[friendly and rng.random() < 0.6],
                              yes_no[friendly]))
            evaluated = signed + timedelta(days=rng.randint(300, 400))
            if friendly and rng.random() < 0.7 and evaluated.year <= YEARS[-1]:
                for r in range(rng.choice([1, 1, 2, 3])):
                    score = min(5, max(1, round(rng.gauss(3.2 + 2 * share + (0.5 if fit else 0), 0.9))))
                    evaluations.append((contract_id, evaluated.isoformat(), str(score), f"E{r + 1}"))
        self.files["contracts/kontraktsregister.csv"] = csv_text(contracts, ";")
        self.files["evaluations/etterevaluering.csv"] = csv_text(evaluations)

    def satisfaction_goals(self) -> None:
        """A satisfaction goal, measured by G1 (the post-contract evaluations), for the bodies that evaluate
        the most innovative procurements; the effects chain reads its result from G1."""
        for b in (0, 1, 10):
            body = self.bodies[b]
            words = body.words
            self.files["gains/goals.csv"] += csv_text([(
                f"M{b + 1:02d}-S", body.org_nr, words["G1"], "G1", "0.4", "2021-01-15", "0.7", "2026",
                words["owners"][0], "2", "3", words["G1 risk"])])

    def training(self) -> None:
        rng = self.registers_rng
        rows = [("org_nr", "year", "procurement_fte", "trained_fte")]
        for body in self.bodies:
            fte = max(2.0, body.size / 2)
            for year in YEARS:
                trained = min(fte, round(fte * (0.05 + body.share(year) * rng.uniform(0.8, 1.6)) * 2) / 2)
                rows.append((body.org_nr, str(year), f"{fte:.1f}".replace(".", ","),
                             f"{trained:.1f}".replace(".", ",")))
        self.files["training/kompetanse.csv"] = csv_text(rows, ";")

    def accounts(self) -> None:
        """One Regnskapsregisteret response per supplier, as the API gives them: filings oldest first, some
        without revenue, one in USD, one financial year ending in May; an empty array; an HTTP 500 body."""
        rng = self.registers_rng
        for k, s in enumerate(self.suppliers):
            path = f"accounts/{s.org_nr}.json"
            if k == 7:
                self.files[path] = json.dumps({"timestamp": "2026-01-05T09:00:00.000+0000", "status": "500",
                                               "error": "Internal Server Error", "message": "An error occurred "
                                               "while processing the request.", "path": f"/regnskapsregisteret/"
                                               f"regnskap/{s.org_nr}", "trace": self.uuid_from(rng)}, indent=2)
                continue
            filings, revenue = [], rng.lognormvariate(16, 1.2)
            for year in range(max(YEARS[0] - 1, s.founded.year + 1), YEARS[-1] + 1):
                revenue *= rng.uniform(0.8, 1.35)
                start, end = (f"{year - 1}-06-01", f"{year}-05-31") if k == 11 else (f"{year}-01-01", f"{year}-12-31")
                income = {} if rng.random() < 0.05 else {"sumDriftsinntekter": float(round(revenue))}
                filings.append({"id": 4_000_000 + 1000 * k + year - 2000, "journalnr": f"{year + 1}{k:06d}",
                                "regnskapstype": "SELSKAP",
                                "virksomhet": {"organisasjonsnummer": s.org_nr, "organisasjonsform": s.org_form,
                                               "morselskap": False},
                                "regnskapsperiode": {"fraDato": start, "tilDato": end},
                                "valuta": "USD" if k == 3 else "NOK", "avviklingsregnskap": False,
                                "resultatregnskapResultat": {"driftsresultat": {"driftsinntekter": income}}})
            self.files[path] = json.dumps(filings if k != 5 else [], ensure_ascii=False, indent=2) + "\n"

    def commentary(self) -> None:
        """The first body's own words in its reports for 2024 and 2025 (commentary/<year>/<org_nr>.md): an
        assessment, notes on two indicators and next steps, which the 2025 report shows again as follow-up."""
        org = self.bodies[0].org_nr
        for year, text in COMMENTARY.items():
            self.files[f"commentary/{year}/{org}.md"] = text

    @staticmethod
    def uuid_from(rng: random.Random) -> str:
        return str(uuid.UUID(int=rng.getrandbits(128), version=4))


COMMENTARY = {
    2024: """---
author: Kari Nordmann, innkjøpssjef
date: 2025-02-14
---
Markedsdialog før konkurransen ble vanligere i 2024, og det ser vi i tallene. Andelen innovasjonsvennlige
prosedyrer er likevel lavere enn målet vårt. Ledergruppen har derfor bestemt at dette skal prioriteres i 2025.

## P2
Økningen skyldes først og fremst to store IT-anskaffelser der vi gjennomførte dialogkonferanser.

## Tiltak
- Innføre markedsdialog i alle anskaffelser over 1,3 mill. kr (innkjøpssjef, 2025-06-30)
- Gi alle innkjøpere opplæring i innovasjonspartnerskap (HR-sjef, 2025-12-31)
""",
    2025: """---
author: Kari Nordmann, innkjøpssjef
date: 2026-02-13
---
Opplæringen i innovasjonspartnerskap er gjennomført, og flere anskaffelser er
**innovasjonsvennlige**. Vi er ikke i mål ennå: gevinstene må følges bedre opp.

## P4
Vi har brukt innovasjonspartnerskap i to anskaffelser. Se [metodesiden](../../metode.html) for hvordan andelen
beregnes.

## Tiltak
- Registrere realiserte gevinster for alle mål hvert kvartal (økonomidirektør, 2026-03-31)
- Evaluere markedsdialogen sammen med leverandørene (innkjøpssjef, 2026-09-30)
""",
}


def csv_text(rows: list[tuple], delimiter: str = ",") -> str:
    """Rows as the text of a CSV file (lines end in a newline)."""
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return buf.getvalue()

