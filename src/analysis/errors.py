"""Errors the CLI reports without a traceback: input errors (each names the file, the row or XML element, and
the field), build errors (another build runs, the rendered site is broken) and the exit codes of each."""

from __future__ import annotations

import errno
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


# Exit codes besides 0, 1 (a report failed; the rest was published) and 2 (bad input), documented in README.
EXIT_NOT_PUBLISHED = 3  # the staged site is incomplete or has a broken link: the previous site is kept
EXIT_WRITE_FAULT = 74  # a file could not be written (disk full, no permission): sysexits' EX_IOERR
EXIT_BUSY = 75  # another build holds the output directory and --no-wait was given: sysexits' EX_TEMPFAIL

# The errors of a file system that cannot take a write: reported as one line (EXIT_WRITE_FAULT), no traceback.
WRITE_FAULTS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EACCES, errno.EPERM, errno.EROFS, errno.EIO}


class BuildError(Exception):
    """A build that cannot go on for a reason other than its input (another build holds the output, the
    staged site is broken); the CLI prints each line and exits with `exit_code`, never a traceback."""

    def __init__(self, lines: list[str] | str, exit_code: int):
        self.lines = [lines] if isinstance(lines, str) else list(lines)
        self.exit_code = exit_code
        super().__init__("\n".join(self.lines))
