"""Every command has help text with an example and appears in the README."""

import pytest
import typer.main

from conftest import ROOT
from ipkg.cli import app

COMMANDS = typer.main.get_command(app).commands


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_docs_command_has_help_and_example(name):
    help_ = COMMANDS[name].help or ""
    assert help_.strip() and "Example: ipkg " + name in help_


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_docs_command_in_readme(name):
    assert f"ipkg {name}" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_docs_readme_has_the_two_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make run" in text and "make test" in text
