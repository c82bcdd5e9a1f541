"""The command line: stage subcommands, clean errors with exit code 2, the catalogue as JSON."""

from __future__ import annotations

import json
import subprocess
import sys

from typer.testing import CliRunner

from analysis import catalogue
from analysis.cli import app

runner = CliRunner()


def test_help_lists_every_stage():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for cmd in ("ingest", "compute", "execute", "render", "publish", "build", "indicators", "demo", "serve"):
        assert cmd in result.output


def test_indicators_json_covers_every_area():
    result = runner.invoke(app, ["indicators", "--format", "json"])
    data = json.loads(result.output)
    ids = {i["id"] for i in data["indicators"]}
    assert {"F1a", "F8", "P1", "P4", "P5a", "P5b", "P5c", "P6", "P7a", "P7b", "P7c", "P7d", "G1", "G5", "S1",
            "S3", "E1", "E3"} <= ids
    assert {i["area"] for i in data["indicators"]} == set(catalogue.load().areas)
    for i in data["indicators"]:
        assert {"title", "definition", "numerator", "denominator", "unit", "polarity", "source"} <= set(i)
        if "sql" in i:  # computed: says whose data it reads, and only answers from persons have a minimum n
            assert i["privacy"] in ("persons", "public") and i["reads"]
            assert ("min_n" in i) == (i["privacy"] == "persons")
    assert [i["id"] for i in data["indicators"] if "unavailable" in i or not ("sql" in i or "derived_from" in i)] \
        == []  # every indicator of the framework is computed from the dataset layout


def test_bad_params_exit_2_with_one_line_and_no_traceback(tmp_path):
    bad = tmp_path / "p.yaml"
    bad.write_text("data: nowhere\nfoo: 0301\n")
    proc = subprocess.run([sys.executable, "-m", "analysis.cli", "ingest", "--params", str(bad)],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and proc.stderr.count("error:") == 1
    assert f"{bad}: key foo: foo: unknown key" in proc.stderr


def test_compute_data_to_csv(tmp_path):
    from tests.test_compute import write_dataset

    data = write_dataset(tmp_path / "data")
    result = runner.invoke(app, ["compute", "--data", str(data), "--out", str(tmp_path / "x.csv")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "x.csv").read_text().startswith("org_nr,name,org_type,year")


def test_a_malformed_notice_is_refused_and_the_rest_computed(tmp_path):
    from tests.test_compute import write_dataset

    data = write_dataset(tmp_path / "data")
    (data / "notices" / "broken.xml").write_text("<ContractNotice><cbc:ID>")
    result = runner.invoke(app, ["compute", "--data", str(data), "--out", str(tmp_path / "x.csv")])
    assert result.exit_code == 0, result.output
    assert "1 refused, 0 skipped" in result.output and "refused: xml: malformed XML" in result.output
    assert (tmp_path / "x.csv").is_file()


def test_strict_compute_exits_2_naming_the_malformed_notice(tmp_path):
    from tests.test_compute import write_dataset

    data = write_dataset(tmp_path / "data")
    (data / "notices" / "broken.xml").write_text("<ContractNotice><cbc:ID>")
    result = runner.invoke(app, ["compute", "--data", str(data), "--out", str(tmp_path / "x.csv"), "--strict"])
    assert result.exit_code == 2 and "broken.xml: line 1: xml: malformed XML" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "x.csv").exists()


def test_serve_previews_the_site_on_localhost_only(demo_build, tmp_path):
    import socket
    import time
    import urllib.request

    import yaml

    p, _ = demo_build
    params = tmp_path / "p.yaml"
    params.write_text(yaml.safe_dump({"data": str(p.data), "output": str(p.output)}), encoding="utf-8")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "analysis.cli", "serve", "--params", str(params), "--port",
                             str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    body, deadline = "", time.monotonic() + 120  # generous: CI machines can be slow to start Python
    try:
        while not body and time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/index.html", timeout=2) as r:
                    body = r.read().decode("utf-8")
            except OSError:
                time.sleep(0.2)
        assert '<html lang="nb">' in body, proc.poll()
        listening = [line for line in open("/proc/net/tcp").read().splitlines()[1:]
                     if line.split()[1].endswith(f":{port:04X}") and line.split()[3] == "0A"]
        assert listening and all(line.split()[1].startswith("0100007F") for line in listening)  # 127.0.0.1
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_strict_build_names_every_problem_of_the_dataset_in_one_run(tmp_path):
    """A refused accounts file and a commentary file with an unknown indicator heading: --strict lists both,
    each in its own per-file line, then exits 2 (issue 37: it used to stop at the first)."""
    from tests.test_compute import A, write_dataset

    data = write_dataset(tmp_path / "data")
    (data / "accounts").mkdir()
    (data / "accounts" / "x.json").write_text("[{")
    (data / "commentary" / "2024").mkdir(parents=True)
    (data / "commentary" / "2024" / f"{A}.md").write_text("Vi er godt i gang.\n\n## X9\nUkjent.\n", encoding="utf-8")
    params = tmp_path / "p.yaml"
    params.write_text(f"data: {data}\noutput: {tmp_path / 'out'}\nyears: ['2024']\nrenderer: builtin\n")
    result = runner.invoke(app, ["build", "--params", str(params), "--strict"])
    assert result.exit_code == 2, result.output
    assert "x.json: line 1: json" in result.output, result.output
    assert f"commentary/2024/{A}.md: line 3: indicator" in result.output, result.output
    assert "Traceback" not in result.output and not (tmp_path / "out" / "site").exists()
