import pytest

from analysis.orgnr import check_digit_ok, normalise, with_check_digit


@pytest.mark.parametrize("raw", ["974760673", "974 760 673", "NO974760673MVA", "Org.nr. 974760673",
                                 "org.nr: 974760673", "974\u200b760673", " 974760673 ", "NO 974 760 673 MVA"])
def test_real_forms_normalise_to_nine_digits(raw):
    assert normalise(raw) == "974760673"


@pytest.mark.parametrize("raw", ["974760674", "123 456 789", "DE123456789", "garbage", "", None, "97476067",
                                 "9747606731"])
def test_invalid_or_foreign_numbers_are_none(raw):
    assert normalise(raw) is None


def test_check_digit_completion_matches_the_check():
    for first8 in ("97476067", "92301720", "90642064"):
        full = with_check_digit(first8)
        assert full is None or check_digit_ok(full)
    assert with_check_digit("97476067") == "974760673"
