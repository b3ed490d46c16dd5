"""README's results tables are the ones scripts/readme_results.py writes from results/kodak.json and rounds.json:
a round that is evaluated but not written into README fails here."""
import json

import pytest
from conftest import ROOT, load_script

from s2c.cards import round_runs
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


def test_runs_of_three_rounds_are_written_as_a_range():
    assert round_runs(sorted([29, 25, 27, 26, 31]), min_range=3) == ["25-27", "29", "31"]
    assert round_runs([46, 47], min_range=3) == ["46", "47"]


def _soup_round(history, n, of):
    return {"round": n, "models": {name: {**m, "soup_of": of} for name, m in history[-1]["models"].items()}}


def test_a_soup_round_is_listed_with_its_inputs(readme_results, measured):
    results, history = measured
    n = history[-1]["round"] + 1
    earlier = ", ".join(str(r) for r in readme_results.soups(history))
    new = readme_results.updated_readme((ROOT / "README.md").read_text(), results,
                                        history + [_soup_round(history, n, [n - 1, 7, n - 3, n - 2])])
    flat = " ".join(new.split())
    assert f"Rounds {earlier} and {n} trained nothing" in flat
    assert f"; then 7 and {n - 3}-{n - 1}), shipped with" in flat
    assert f"or (rounds {earlier} and {n}) averaged" in flat


def test_soups_of_different_rounds_in_one_round_are_refused(readme_results, measured):
    results, history = measured
    n = history[-1]["round"] + 1
    soup = _soup_round(history, n, [n - 2, n - 1])
    soup["models"]["s2c-conv-lite"] = {**soup["models"]["s2c-conv-lite"], "soup_of": [n - 1]}
    with pytest.raises(SystemExit, match="soups of different rounds"):
        readme_results.updated_readme((ROOT / "README.md").read_text(), results, history + [soup])
