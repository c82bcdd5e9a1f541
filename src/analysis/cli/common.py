"""What the commands share: the consoles, the options that several take, clean errors (one line per problem
and an exit code, never a traceback), the output directory's lock, the params and the progress bars."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from .. import paths
from ..errors import EXIT_WRITE_FAULT, WRITE_FAULTS, BuildError, InputError

out = Console()
err = Console(stderr=True)

ParamsOpt = Annotated[Path, typer.Option("--params", "-p", help="Params file (YAML).")]
StrictOpt = Annotated[bool, typer.Option("--strict", help="Any refused notice, TED row or register file is an "
                                                           "error (exit 2), as `strict: true` in params.")]
DEFAULT_PARAMS = paths.PARAMS / "demo.yaml"

NoWaitOpt = Annotated[bool, typer.Option("--no-wait", help="When another build of the same output directory "
                                                           "is running, exit (code 75) instead of waiting.")]
ExecutorOpt = Annotated[str | None, typer.Option(help="local (a process pool here) or dask (a Dask cluster).")]
SchedulerOpt = Annotated[str | None, typer.Option(help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 "
                                                       "(default with --executor dask: a local cluster).")]
ForceOpt = Annotated[bool, typer.Option("--force", help="Build everything again, even what is up to date.")]


def error(line: str) -> None:
    err.print(f"error: {line}", markup=False, highlight=False, soft_wrap=True)


def clean_errors(fn):
    """Turns input errors into one line per problem on stderr and exit code 2, build errors into their
    lines and exit code, and a failed write (disk full, no permission) into one line naming the file."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except InputError as exc:
            for problem in exc.problems:
                error(str(problem))
            raise typer.Exit(2) from None
        except BuildError as exc:
            for line in exc.lines:
                error(line)
            raise typer.Exit(exc.exit_code) from None
        except OSError as exc:
            if exc.errno not in WRITE_FAULTS:
                raise
            error(f"{exc.filename or 'a file'}: {exc.strerror}; nothing was published, the site is unchanged")
            raise typer.Exit(EXIT_WRITE_FAULT) from None
        except KeyboardInterrupt:
            err.print("interrupted: the published site is unchanged")
            raise typer.Exit(130) from None
    return wrapper


def locked(p, no_wait: bool = False):
    """The output directory's lock, held while a command writes to it."""
    from .. import lock

    return lock.hold(p.output, wait=not no_wait,
                     notify=lambda message: err.print(message, markup=False, highlight=False, soft_wrap=True))


def load_params(path: Path, **overrides):
    from .. import params

    return params.load(path, **overrides)


class RateColumn(ProgressColumn):
    """Reports per second."""

    def render(self, task) -> Text:
        return Text(f"{task.speed:.1f}/s" if task.speed else "–/s")


def progress_bars() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), RateColumn(),
                    TimeElapsedColumn(), TextColumn("eta"), TimeRemainingColumn(), console=err, transient=False)


def progress_callback(bar: Progress, description: str, total: int | None = None):
    """A progress callback: `progress(total=n)` sets the total, `progress()` advances by one."""
    task = bar.add_task(description, total=total)

    def progress(total: int | None = None) -> None:
        if total is not None:
            bar.update(task, total=total)
        else:
            bar.advance(task)
    return progress

