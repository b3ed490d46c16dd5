"""README's results tables are the ones scripts/readme_results.py writes from results/kodak.json and rounds.json:
a round that is evaluated but not written into README fails here."""
import json

import pytest
from conftest import ROOT, load_script

from s2c.rounds import read_rounds


@pytest.fixture(scope="module")
def readme_results():
    return load_script("readme_results")


@pytest.fixture(scope="module")
def measured():
    return json.loads((ROOT / "results" / "kodak.json").read_text()), read_rounds()


def test_readme_holds_the_measured_tables(readme_results, measured):
    text = (ROOT / "README.md").read_text()
    assert readme_results.updated_readme(text, *measured) == text


def test_a_changed_result_changes_the_readme(readme_results, measured):
    results, history = measured
    results = json.loads(json.dumps(results))
    results["bd_rate"]["s2c-conv-lite"]["webp"] = -12.34
    text = (ROOT / "README.md").read_text()
    new = readme_results.updated_readme(text, results, history)
    assert new != text and "| -12.3% |" in new


def test_latest_round_is_named_everywhere(readme_results, measured):
    results, history = measured
    later = {**history[-1], "round": history[-1]["round"] + 1}
    new = readme_results.updated_readme((ROOT / "README.md").read_text(), results, history + [later])
    assert f"After round {later['round']} (" in new and f"Round-{later['round']} checkpoints" in new
    assert f"| {later['round']} | " in new


def test_a_phrase_wrapped_over_two_lines_is_updated_in_place(readme_results, measured):
    results, history = measured
    n = history[-1]["round"]
    text = (ROOT / "README.md").read_text().replace(f"Round-{n} checkpoints, cards and logs",
                                                    "Round-1 checkpoints, cards\nand logs")
    new = readme_results.updated_readme(text, results, history)
    assert f"Round-{n} checkpoints, cards\nand logs" in new


def test_the_kodak_table_is_dated_as_measured(readme_results, measured):
    results, history = measured
    new = readme_results.updated_readme((ROOT / "README.md").read_text(), {**results, "date": "2031-01-02"}, history)
    assert "**Kodak R-D** (`results/kodak.json`, 2031-01-02, 24 images" in new


def test_missing_table_is_refused(readme_results, measured):
    with pytest.raises(SystemExit, match="no table"):
        readme_results.updated_readme("# README without results\n", *measured)


def test_standing_names_who_beats_whom(readme_results, measured):
    results, history = measured
    results = json.loads(json.dumps(results))
    for name in results["bd_rate"]:
        results["bd_rate"][name]["webp"] = 5.0
    results["bd_rate"]["s2c-hybrid-lite"]["webp"] = -1.04
    results["bd_rate"]["s2c-conv-lite"]["webp"] = None  # curves overlapping too little: not a win
    text = readme_results.standing(results, history).replace("\n", " ")
    assert "than WebP: Hybrid (-1.0%)" in text
    assert text.startswith(f"Standing after round {history[-1]['round']} (")


def test_readme_without_standing_is_refused(readme_results, measured):
    text = (ROOT / "README.md").read_text()
    start = text.index("Standing after round")
    with pytest.raises(SystemExit, match="Standing after round"):
        readme_results.updated_readme(text[:start] + text[text.index("\n\n", start):], *measured)
