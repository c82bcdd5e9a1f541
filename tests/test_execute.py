"""Execute: warm kernels give the same notebooks as papermill; one failure does not stop the others."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat

from analysis import execute, paths, pipeline


def test_warm_kernel_output_is_identical_to_papermill(demo_build, tmp_path):
    p, _ = demo_build
    b = pipeline.build_paths(p)
    pairs = pipeline.report_pairs(p)[:2]
    warm = execute.jobs_for(pairs, paths.BuildPaths(tmp_path / "warm"), p.lang)
    fresh = execute.jobs_for(pairs, paths.BuildPaths(tmp_path / "fresh"), p.lang)
    for job in warm + fresh:  # the same build directory parameter, so the notebooks can be compared
        job.parameters["build_dir"] = str(b.output)
    assert all(r.ok for r in execute.run(warm, workers=1, engine="warm"))
    assert all(r.ok for r in execute.run(fresh, workers=1, engine="papermill"))
    for w, f in zip(warm, fresh, strict=True):
        assert Path(w.output).read_bytes() == Path(f.output).read_bytes()


def test_a_failing_report_is_isolated_and_listed(demo_build, tmp_path):
    p, _ = demo_build
    b = pipeline.build_paths(p)
    nb = nbformat.read(paths.REPORT_NOTEBOOK, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell('if org_nr == ORG:\n    raise RuntimeError("broken ledger")'))
    broken = tmp_path / "report.ipynb"
    pairs = pipeline.report_pairs(p)[:3]
    nb.cells[1].source = f'ORG = "{pairs[1][0]}"\n' + nb.cells[1].source
    nbformat.write(nb, broken)
    out = paths.BuildPaths(tmp_path / "out")
    jobs = execute.jobs_for(pairs, out, p.lang, notebook=broken)
    for job in jobs:
        job.parameters["build_dir"] = str(b.output)
    results = execute.run(jobs, workers=2, engine="warm")
    assert [r.ok for r in results] == [True, False, True]
    assert "broken ledger" in results[1].error
    assert Path(jobs[0].output).is_file() and not Path(jobs[1].output).exists()
    assert Path(jobs[1].output).with_suffix(".failed.ipynb").is_file()
    execute.write_summary(results, out.executions)
    summary = json.loads(out.executions.read_text())
    assert [s["ok"] for s in summary] == [True, False, True]


def test_an_english_report(demo_build, tmp_path):
    from analysis import notebooks

    p, _ = demo_build
    b = pipeline.build_paths(p)
    pairs = pipeline.report_pairs(p)[-1:]
    jobs = execute.jobs_for(pairs, paths.BuildPaths(tmp_path), "en")
    jobs[0].parameters["build_dir"] = str(b.output)
    assert all(r.ok for r in execute.run(jobs, workers=1, engine="warm"))
    html = notebooks.html(nbformat.read(jobs[0].output, as_version=4))
    for heading in ("Key messages", "Framework conditions", "Procurement practice", "Position among peers",
                    "Effects chain", "Self-evaluation", "Data and method"):
        assert f">{heading}</h2>" in html
    assert "Hovedbudskap" not in html and "prosentpoeng" not in html
    assert "percentage points" in html and "%" in html and "\u00a0%" not in html


def test_a_failing_report_leaves_the_others_published_and_the_build_exits_non_zero(demo_build, tmp_path,
                                                                                    monkeypatch):
    import shutil

    import yaml
    from typer.testing import CliRunner

    from analysis.cli import app

    p, _ = demo_build
    out = tmp_path / "out"
    shutil.copytree(p.output, out, ignore=shutil.ignore_patterns("staging", "quarto"))
    org = pipeline.report_pairs(p)[1][0]
    nb = nbformat.read(paths.REPORT_NOTEBOOK, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(f'if org_nr == "{org}":\n    raise RuntimeError("broken ledger")'))
    broken = tmp_path / "report.ipynb"
    nbformat.write(nb, broken)
    original = execute.jobs_for
    monkeypatch.setattr(execute, "jobs_for", lambda pairs, b, lang: original(pairs, b, lang, notebook=broken))
    params = tmp_path / "p.yaml"
    params.write_text(yaml.safe_dump({"data": str(p.data), "output": str(out), "years": ["2025"],
                                      "renderer": "builtin", "workers": 2}), encoding="utf-8")
    result = CliRunner().invoke(app, ["build", "--params", str(params), "--force"])
    assert result.exit_code == 1 and "broken ledger" in result.output and "Traceback" not in result.output
    site = out / "site"
    index = (site / "index.html").read_text(encoding="utf-8")
    start = index.index('id="failures"')
    failures = index[start:index.index("</section>", start)]
    assert org in failures and "broken ledger" in failures
    assert not (site / "reports" / "2025" / f"{org}.html").exists()
    others = {f.stem for f in (site / "reports" / "2025").glob("*.html") if "-" not in f.stem}
    assert len(others) == len({o for o, y in pipeline.report_pairs(p) if y == "2025"}) - 1
