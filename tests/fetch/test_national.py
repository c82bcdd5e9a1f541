"""End to end: `innomaal fetch --national` from the replay of the 108 real Doffin notices, then `innomaal build`
with the params it wrote, gives the site of today's build from the notices copied by hand."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from analysis.cli import app
from tests.fetch.helpers import DOFFIN, real_replay
from tests.replay import KEY, Server
from tests.test_real_data import organisations

runner = CliRunner()


def tree(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.mark.slow
def test_fetch_national_then_build_gives_the_hand_copied_site(tmp_path, monkeypatch):
    replay = real_replay()
    fetched = tmp_path / "fetched"
    with Server(replay) as server:
        monkeypatch.setenv("INNOMAAL_DOFFIN_URL", server.doffin)
        monkeypatch.setenv("INNOMAAL_BRREG_URL", server.brreg)
        monkeypatch.setenv("DOFFIN_API_KEY", KEY)
        result = runner.invoke(app, ["fetch", "--data", str(fetched), "--national", "--from", "2022", "--to", "2024",
                                     "--rate", "500"])
    assert result.exit_code == 0, result.output
    params = fetched / "params.yaml"
    override = yaml.safe_load(params.read_text(encoding="utf-8"))
    assert override["data"] == str(fetched.resolve())
    params.write_text(params.read_text(encoding="utf-8") + "renderer: builtin\n", encoding="utf-8")
    built = runner.invoke(app, ["build", "--params", str(params)])
    assert built.exit_code == 0, built.output

    # Today's way: the notices copied by hand under their own names, beside the same registers and list.
    hand = tmp_path / "hand"
    shutil.copytree(DOFFIN, hand / "notices" / "doffin")
    for name in ("suppliers", "accounts"):
        if (fetched / name).is_dir():
            shutil.copytree(fetched / name, hand / name)
    shutil.copyfile(fetched / "organisations.csv", hand / "organisations.csv")
    (tmp_path / "hand.yaml").write_text(yaml.safe_dump({"data": str(hand), "output": str(tmp_path / "hand-out"),
                                                        "renderer": "builtin"}), encoding="utf-8")
    assert runner.invoke(app, ["build", "--params", str(tmp_path / "hand.yaml")]).exit_code == 0
    ours, theirs = tree(tmp_path / "fetched-output" / "site"), tree(tmp_path / "hand-out" / "site")
    assert sorted(ours) == sorted(theirs)
    # Every page, figure and download the same, byte for byte; the provenance record names its own dataset's
    # folder and files (the hand-copied notices keep their names), so it and the manifest listing it differ in
    # those names alone: the inputs' contents are the same.
    assert [k for k in ours if ours[k] != theirs[k]] == ["manifest.json", "provenance.json"]
    inputs = [{re.sub(r"^notices/doffin/.*?(\d{4}-\d+\.xml)$", r"notices/doffin/\1", f["path"]): f["sha256"]
               for f in json.loads(side["provenance.json"])["inputs"]["files"]} for side in (ours, theirs)]
    assert inputs[0].pop("params.yaml") and inputs[0] == inputs[1]  # the fetched dataset holds its params

    # The same bodies get reports as with the hand-written organisation list of test_real_data.
    hand_list = {line.split(",")[0] for line in organisations(sorted(DOFFIN.glob("*.xml"))).splitlines()[1:]}
    fetched_list = {line.split(",")[0] for line in
                    (fetched / "organisations.csv").read_text(encoding="utf-8").splitlines()[1:]}
    assert fetched_list == hand_list
    types = {line.split(",")[0]: line.split(",")[2] for line in
             (fetched / "organisations.csv").read_text(encoding="utf-8").splitlines()[1:]}
    assert types["916879067"] == "health" and types["817920632"] == "county" and types["889640782"] == "state"
