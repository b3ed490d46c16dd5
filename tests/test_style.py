"""The code's one layout rule that no linter here checks: lines of at most 118 columns."""
from conftest import ROOT

MAX_COLUMNS = 118


def source_files():
    folders = ("s2c", "pages", "scripts", "tests")
    found = [*ROOT.glob("*.py"), ROOT / ".ci" / "run",
             *(p for d in folders for p in (ROOT / d).rglob("*") if p.suffix in (".py", ".sh"))]
    return sorted(found)


def test_source_lines_fit_118_columns():
    files = source_files()
    assert len(files) > 20
    long = [f"{p.relative_to(ROOT)}:{n}" for p in files
            for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if len(line) > MAX_COLUMNS]
    assert not long, f"lines over {MAX_COLUMNS} columns: {long}"
