"""A deterministic, realistic demo dataset in the input layout (`innomaal demo --out data/demo`).

Twelve fictional public bodies (state agencies, municipalities, a county, health trusts) for 2019-2025:
eForms notices (planning, competition, change and result notices, above and below the EEA threshold),
Enhetsregisteret units for their suppliers, ledger lines, survey answers, a gain register, a contract register
with post-contract evaluations, training records, and Regnskapsregisteret responses for the suppliers. Each body
has its own trajectory, so the reports have something to tell: some take up innovation partnerships,
some stall, some buy more from SMEs. Everything follows from the seed.

`bodies` holds the cast (the bodies, their words, suppliers and procedures), `notices` writes the eForms
notices and `registers` the registers and the bodies' own files; `Demo` draws them in order from the seed.
"""

from __future__ import annotations

import random
import uuid
from datetime import date
from pathlib import Path

from ..io import write_text
from ..orgnr import with_check_digit
from .bodies import BODIES, SEED, YEARS, Body, Procedure, Supplier
from .notices import Notices
from .registers import Registers, csv_text


class Demo(Notices, Registers):
    """The dataset as files in memory (`files`, by path) until `write`: the notices (`Notices`) and the
    registers (`Registers`) drawn from the seed's random streams."""

    def __init__(self, seed: int = SEED):
        self.rng = random.Random(seed)
        self.registers_rng = random.Random(seed + 1)  # its own stream: the notices stay as they were
        self.bodies = [Body(self.org_nr("9"), *spec) for spec in BODIES]
        self.suppliers = [self.supplier(i) for i in range(160)]
        self.files: dict[str, str] = {}
        self.procedures: list[Procedure] = []

    # ------------------------------------------------------------------ identities
    def org_nr(self, first: str) -> str:
        while True:
            digits = with_check_digit(first + "".join(str(self.rng.randint(0, 9)) for _ in range(7)))
            if digits:
                return digits

    def uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def supplier(self, i: int) -> Supplier:
        rng = self.rng
        employees = rng.choice([rng.randint(1, 9), rng.randint(10, 49), rng.randint(50, 249),
                                rng.randint(250, 4000), None])
        if rng.random() < 0.25:
            founded = date(rng.randint(2015, 2024), rng.randint(1, 12), rng.randint(1, 28))
        else:
            founded = date(rng.randint(1950, 2014), rng.randint(1, 12), rng.randint(1, 28))
        stem = rng.choice(["Nord", "Fjord", "Lys", "Grønn", "Data", "Bygg", "Helse", "Kyst", "Smart", "Berg"])
        tail = rng.choice(["tek", "løsninger", "partner", "systemer", "innovasjon", "drift", "konsult"])
        return Supplier(self.org_nr(rng.choice("89")), f"{stem}{tail} {i:03d}", employees, founded,
                        rng.choice(["AS", "AS", "AS", "ASA", "ENK", "NUF"]))

    # ------------------------------------------------------------------ the dataset
    def write(self, out: Path) -> Path:
        rows = [("org_nr", "name", "org_type", "lang")] + [(b.org_nr, b.name, b.org_type, b.lang)
                                                           for b in self.bodies]
        self.files["organisations.csv"] = csv_text(rows)
        for body in self.bodies:
            for year in YEARS:
                self.procurements(body, year)
        self.registry()
        self.spend()
        self.surveys()
        self.gains()
        self.contracts()
        self.satisfaction_goals()
        self.training()
        self.accounts()
        self.commentary()
        for rel, text in sorted(self.files.items()):
            write_text(out / rel, text)
        return out


def generate(out: Path, seed: int = SEED) -> Path:
    """Writes the demo dataset into `out` (replacing files of the same name) and returns `out`."""
    return Demo(seed).write(out)
