"""Errors about input data: each names the file, the row or XML element, and the field."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass
class Problem:
    file: str
    where: str  # "row 12", "element /ContractNotice/cbc:IssueDate", "key years", ...
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.where}: {self.field}: {self.message}"


class InputError(Exception):
    """One or more problems in the input; the CLI prints them and exits with code 2."""

    def __init__(self, problems: list[Problem] | Problem):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def one(cls, file: str | Path, where: str, field: str, message: str) -> InputError:
        return cls(Problem(str(file), where, field, message))
