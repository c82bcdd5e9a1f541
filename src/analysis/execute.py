"""Stage 3, execute: run the report notebook once per organisation and year.

Parameters are injected with papermill (`parameterize_notebook`, the same injected cell papermill's own
runs produce). Two engines run the notebooks:
- `warm` (default): a worker pool sized to the cores; each worker keeps one kernel warm and resets its
  state between reports (`%reset -f`, matplotlib/seaborn defaults), so imports are paid once per worker.
  After each reset, `gc.freeze()` moves what survived it (modules, cached tables) out of the cyclic
  collector's sight: the collection inside the next `%reset` then takes milliseconds instead of ~0.2 s.
- `papermill`: `papermill.execute_notebook` with a fresh kernel per report (the reference behaviour).
Both give byte-identical notebooks: execution counts and cell ids are normalised after the run.
A failing notebook does not stop the others; it is written beside the report as `<org_nr>.failed.ipynb`
and listed in the executions summary.
"""

from __future__ import annotations

import json
import multiprocessing
import tempfile
import time
import traceback
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

import nbformat

from . import i18n, paths
from .io import write_text

KERNEL = "python3"
TIMEOUT = 600
RESET = """%reset -f
import sys as _sys
if "matplotlib" in _sys.modules:
    _sys.modules["matplotlib"].rcdefaults()
    if "matplotlib.pyplot" in _sys.modules:
        _sys.modules["matplotlib.pyplot"].close("all")
if "seaborn" in _sys.modules:
    _sys.modules["seaborn"].reset_defaults()
del _sys
import gc as _gc
_gc.freeze()
del _gc
"""


@dataclass(frozen=True)
class Job:
    notebook: str
    output: str
    parameters: dict

    @property
    def label(self) -> str:
        return " ".join(str(v) for k, v in self.parameters.items() if k in ("year", "org_nr"))


@dataclass
class Result:
    output: str
    parameters: dict
    ok: bool
    seconds: float
    error: str | None = None
    cached: bool = False  # not run: the report's content key was unchanged


def normalise(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Makes an executed notebook independent of the kernel's history and of random ids."""
    count = 0
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i:03d}"
        cell.metadata.pop("execution", None)
        cell.metadata.pop("papermill", None)
        if cell.cell_type != "code":
            continue
        if cell.get("execution_count") is not None:
            count += 1
            cell["execution_count"] = count
            for output in cell.get("outputs", []):
                if "execution_count" in output:
                    output["execution_count"] = count
    nb.metadata.pop("papermill", None)
    nb.metadata.pop("widgets", None)
    return nb


def _parameterise(job: Job) -> nbformat.NotebookNode:
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    nb = load_notebook_node(job.notebook)  # as papermill loads it (every cell gets a tags list)
    return parameterize_notebook(nb, job.parameters, kernel_name=KERNEL, language="python")


def _save(job: Job, nb: nbformat.NotebookNode, ok: bool) -> None:
    out = Path(job.output)
    target = out if ok else out.with_suffix(".failed.ipynb")
    write_text(target, nbformat.writes(normalise(nb)) + "\n")
    (out.with_suffix(".failed.ipynb") if ok else out).unlink(missing_ok=True)


class WarmKernel:
    """One kernel kept running across reports, its user namespace reset between them."""

    def __init__(self):
        from jupyter_client.manager import KernelManager

        self.km = KernelManager(kernel_name=KERNEL, transport="ipc",
                                ip=tempfile.mkdtemp(prefix="innomaal-kernel-") + "/kernel")
        self.km.start_kernel(extra_arguments=["--HistoryManager.enabled=False"])
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=60)

    def _run(self, code: str) -> None:
        reply = self.kc.execute_interactive(code, store_history=False, timeout=TIMEOUT, output_hook=lambda m: None)
        if reply["content"]["status"] != "ok":
            raise RuntimeError(f"kernel reset failed: {reply['content'].get('evalue')}")

    def execute(self, nb: nbformat.NotebookNode, cwd: str) -> nbformat.NotebookNode:
        from nbclient import NotebookClient

        self._run(RESET + f"\nimport os as _os\n_os.chdir({cwd!r})\ndel _os\n")
        client = NotebookClient(nb, km=self.km, kernel_name=KERNEL, timeout=TIMEOUT, record_timing=False)
        client.kc = self.kc
        client.execute(cleanup_kc=False)
        return nb

    def shutdown(self) -> None:
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)


_kernel: WarmKernel | None = None


def _worker_init() -> None:
    global _kernel
    from multiprocessing.util import Finalize

    _kernel = WarmKernel()
    Finalize(_kernel, _kernel.shutdown, exitpriority=10)


def run_warm(job: Job) -> Result:
    """Runs one job on this worker's warm kernel (started on first use)."""
    global _kernel
    if _kernel is None:
        _worker_init()
    start = time.perf_counter()
    nb = _parameterise(job)
    try:
        _kernel.execute(nb, str(Path(job.notebook).parent))
    except Exception as exc:  # a failing report must not stop the others
        _save(job, nb, ok=False)
        return Result(job.output, job.parameters, False, time.perf_counter() - start, _describe(exc))
    _save(job, nb, ok=True)
    return Result(job.output, job.parameters, True, time.perf_counter() - start)


def run_papermill(job: Job) -> Result:
    """Runs one job through papermill's own API with a fresh kernel."""
    import papermill

    start = time.perf_counter()
    out = Path(job.output)
    tmp = out.with_suffix(".running.ipynb")
    out.parent.mkdir(parents=True, exist_ok=True)
    ok, error = True, None
    try:
        papermill.execute_notebook(job.notebook, str(tmp), parameters=job.parameters, kernel_name=KERNEL,
                                   language="python", progress_bar=False, cwd=str(Path(job.notebook).parent))
    except Exception as exc:
        ok, error = False, _describe(exc)
    nb = nbformat.read(tmp, as_version=4)
    tmp.unlink()
    _save(job, nb, ok)
    return Result(job.output, job.parameters, ok, time.perf_counter() - start, error)


def _describe(exc: Exception) -> str:
    text = str(exc).strip() or traceback.format_exception_only(exc)[-1].strip()
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[-1][:500] if lines else type(exc).__name__


def jobs_for(pairs: list[tuple[str, str]], build: paths.BuildPaths, lang: str,
             notebook: Path = paths.REPORT_NOTEBOOK) -> list[Job]:
    """One job per (org_nr, year), writing to output/reports/<year>/<org_nr>.ipynb, in the organisation's
    language (`lang` unless organisations.csv names one)."""
    langs = i18n.report_languages(build, lang)
    return [Job(str(notebook), str(build.report(year, org)),
                {"org_nr": org, "year": year, "lang": langs.get(org, lang), "build_dir": str(build.output)})
            for org, year in pairs]


def run(jobs: list[Job], workers: int = 1, engine: str = "warm", progress=None, executor: str = "local",
        scheduler: str | None = None) -> list[Result]:
    """Runs every job; `progress(result)` is called as each finishes. Results come back in job order.
    `executor="dask"` runs them on a Dask cluster (`scheduler` address, or a LocalCluster of `workers`)."""
    if not jobs:
        return []
    if executor == "dask":
        return _run_dask(jobs, workers, engine, progress, scheduler)
    fn = run_warm if engine == "warm" else run_papermill
    results: dict[str, Result] = {}
    if workers <= 1 or len(jobs) <= 1:
        for job in jobs:
            results[job.output] = r = fn(job)
            if progress:
                progress(r)
        if engine == "warm" and _kernel is not None:
            _shutdown_local()
    else:
        ctx = multiprocessing.get_context("spawn")
        init = _worker_init if engine == "warm" else None
        with ProcessPoolExecutor(min(workers, len(jobs)), mp_context=ctx, initializer=init) as pool:
            for r in pool.map(fn, jobs):
                results[r.output] = r
                if progress:
                    progress(r)
    return [results[j.output] for j in jobs]


def _run_dask(jobs: list[Job], workers: int, engine: str, progress, scheduler: str | None) -> list[Result]:
    """Each report is one Dask task. A worker keeps its warm kernel between tasks (one per worker process)
    and shuts it down when the run ends. Workers must see the same file system as this machine (the
    notebook, the build directory) and have the project installed; see docs/dask.md."""
    from dask.distributed import as_completed

    fn = run_warm if engine == "warm" else run_papermill
    results: dict[str, Result] = {}
    with dask_client(scheduler, workers) as client:
        futures = [client.submit(fn, job, key=f"execute-{job.output}", pure=False) for job in jobs]
        for future in as_completed(futures):
            r = future.result()
            results[r.output] = r
            if progress:
                progress(r)
        if engine == "warm":
            client.run(_shutdown_local)
    return [results[j.output] for j in jobs]


@contextmanager
def dask_client(scheduler: str | None, workers: int):
    """A client of the cluster at `scheduler`, or of a LocalCluster with one process per worker, closed
    (with its local cluster) when the block ends."""
    from dask.distributed import Client, LocalCluster

    if scheduler:
        with Client(scheduler) as client:
            yield client
        return
    with LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        yield client


def _shutdown_local() -> None:
    global _kernel
    if _kernel is not None:
        _kernel.shutdown()
        _kernel = None


def write_summary(results: list[Result], path: Path) -> None:
    rows = [{k: v for k, v in asdict(r).items() if k not in ("seconds", "cached")} for r in results]
    for row in rows:
        parts = Path(row["output"]).parts
        if "analyses" in parts:  # output/analyses/<name>/<year>/<org>.ipynb
            row["analysis"] = parts[parts.index("analyses") + 1]
        row["output"] = Path(row["output"]).name
        row["parameters"] = {k: v for k, v in row["parameters"].items() if k in ("org_nr", "year", "lang")}
    write_text(path, json.dumps(rows, indent=1, ensure_ascii=False) + "\n")


def read_summary(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else []
