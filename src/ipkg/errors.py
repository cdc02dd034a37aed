"""Coded error messages, as spaCy's ``errors.py`` keeps them."""

from __future__ import annotations

__all__ = ["Errors", "IpkgError"]


class IpkgError(Exception):
    """An error ipkg reports to the user with a coded message."""


class Errors:
    E001 = "Ontology directory not found: {path}. Set IPKG_ONTOLOGY to the folder that holds ipkg.ttl."
    E002 = "No input documents found in {paths} (expected .txt or .md files)."
    E003 = "Cannot read {path}: {reason}"
    E004 = "Malformed front matter in {path}: {reason}"
    E005 = "Unknown query '{name}'. Bundled queries: {names}"
    E006 = "No graph found at {path}. Run `ipkg build` first or pass --graph."
    E007 = "spaCy model '{model}' is configured but not installed. Install it or set model = \"\" in {config}."
    E008 = "Bad binding '{binding}': expected NAME=VALUE."
    E009 = "Query failed: {reason}"
    E010 = "Unknown output format '{fmt}'. Choose one of: {choices}."
    E011 = "Malformed lexicon line {line} in {path}: {reason}"
