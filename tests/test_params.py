from pathlib import Path

import pytest

from analysis import params
from analysis.errors import InputError


def write(tmp_path, text):
    p = tmp_path / "p.yaml"
    p.write_text(text, encoding="utf-8")
    return p


def test_codes_stay_strings(tmp_path):
    p = params.load(write(tmp_path, "data: d\norgs: [974760673]\nyears: [2024]\nbaseline_year: 2019\n"))
    assert p.orgs == ("974760673",) and p.years == ("2024",) and p.baseline_year == "2019"


def test_unknown_key_is_an_error_naming_file_and_key(tmp_path):
    path = write(tmp_path, "data: d\ncolour: blue\n")
    with pytest.raises(InputError) as exc:
        params.load(path)
    assert str(path) in str(exc.value) and "key colour" in str(exc.value)


@pytest.mark.parametrize("text, key", [("data: d\nlang: NO\n", "lang"), ("data: d\nyears: [0301]\n", "years"),
                                       ("data: d\nmin_n: 0\n", "min_n"), ("data: d\norgs: [123]\n", "orgs"),
                                       ("lang: nb\n", "data")])
def test_bad_values_name_their_key(tmp_path, text, key):
    with pytest.raises(InputError) as exc:
        params.load(write(tmp_path, text))
    assert f"key {key}" in str(exc.value)


def test_all_problems_are_reported_together(tmp_path):
    with pytest.raises(InputError) as exc:
        params.load(write(tmp_path, "data: d\nlang: xx\nrenderer: word\nfoo: 1\n"))
    assert len(exc.value.problems) == 3


def test_demo_params_load():
    p = params.load(params.paths.PARAMS / "demo.yaml")
    assert p.demo and p.years is None and p.lang == "nb"


@pytest.mark.parametrize(("year", "org"), [("../..", "974760673"), ("2024", "../../../etc/passwd"),
                                           ("2024", "97476067/"), ("20245", "974760673")])
def test_report_paths_refuse_anything_but_a_year_and_an_organisation_number(year, org):
    from analysis import paths

    with pytest.raises(ValueError):
        paths.BuildPaths(Path("out")).report(year, org)
    assert paths.BuildPaths(Path("out")).report("2024", "974760673") == Path("out/reports/2024/974760673.ipynb")


def test_strict_is_false_unless_asked_and_must_be_true_or_false():
    assert params.parse({"data": "d"}).strict is False
    assert params.parse({"data": "d", "strict": "true"}).strict is True
    with pytest.raises(InputError) as bad:
        params.parse({"data": "d", "strict": "yes please"})
    assert [(p.where, p.field) for p in bad.value.problems] == [("key strict", "strict")]
