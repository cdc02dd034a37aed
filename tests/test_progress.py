"""The build's progress bar, driven by a fake clock."""

from __future__ import annotations

import io

import pytest

from ipkg.progress import Progress, format_seconds


class FakeClock:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


def last_line(out: io.StringIO) -> str:
    return out.getvalue().split("\r")[-1]


def test_progress_rate_and_eta() -> None:
    clock, out = FakeClock(), io.StringIO()
    bar = Progress(1000, out, width=10, now=clock)
    clock.t += 20.0
    bar.update(250, "doc0250")
    assert last_line(out) == "[##........]   250/1000 docs  12.5 docs/s  ETA 1:00  doc0250"
    clock.t += 20.0
    bar.update(500, "doc0500")
    assert "12.5 docs/s  ETA 0:40  doc0500" in last_line(out)
    clock.t += 40.0
    bar.update(1000, "doc1000")
    bar.close()
    assert last_line(out) == "[##########]  1000/1000 docs  12.5 docs/s  in 1:20  doc1000\n"


def test_progress_redraws_at_most_every_interval() -> None:
    clock, out = FakeClock(), io.StringIO()
    bar = Progress(100, out, interval=1.0, now=clock)
    for i in range(1, 51):
        clock.t += 0.01
        bar.update(i)
    assert out.getvalue().count("\r") == 1  # only the first update within the second
    clock.t += 1.0
    bar.update(51)
    assert out.getvalue().count("\r") == 2


def test_progress_pads_a_shorter_line_over_a_longer_one() -> None:
    clock, out = FakeClock(), io.StringIO()
    bar = Progress(2, out, interval=0, now=clock)
    clock.t += 1
    bar.update(1, "a-very-long-document-name")
    bar.update(2, "b")
    first, second = out.getvalue().split("\r")[1:]
    assert len(second) >= len(first)


def test_progress_before_any_time_has_passed() -> None:
    out = io.StringIO()
    bar = Progress(3, out, now=lambda: 0.0)
    bar.update(0)
    assert "0.0 docs/s  ETA ?" in last_line(out)


def test_progress_close_without_updates_writes_nothing() -> None:
    out = io.StringIO()
    Progress(3, out, now=lambda: 0.0).close()
    assert out.getvalue() == ""


@pytest.mark.parametrize("seconds, text", [(0, "0:00"), (59.6, "1:00"), (3599, "59:59"), (3600, "1:00:00")])
def test_progress_format_seconds(seconds: float, text: str) -> None:
    assert format_seconds(seconds) == text


def test_progress_build_graph_draws_on_stderr(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    from ipkg.workflow import build_graph

    for i in range(3):
        (tmp_path / f"d{i}.txt").write_text("Iran was the first country to recognize Pakistan in 1947.", encoding="utf-8")
    build_graph([tmp_path], progress=True)
    err = capsys.readouterr().err
    assert "3/3 docs" in err and "docs/s" in err and err.endswith("\n")
