"""Coded error messages, as spaCy's ``errors.py`` keeps them."""

from __future__ import annotations

__all__ = ["Errors", "IpkgError", "QuerySyntaxError"]


class IpkgError(Exception):
    """An error ipkg reports to the user with a coded message."""


class QuerySyntaxError(IpkgError):
    """A query the SPARQL parser rejects; the message is the parser's."""


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
    E012 = "No Oxigraph store at {path}. Run `ipkg build` to write one, or pass a graph.trig."
    E013 = "The SPARQL server at {url} answered {status}: {reason}"
    E014 = "Cannot reach the SPARQL server at {url}: {reason}"
    E015 = "Unknown store '{store}'. Use 'oxigraph', 'memory' or an http(s) URL of a SPARQL endpoint."
    E016 = "Cannot listen on {host}:{port}: {reason}"
    E017 = "Unknown actor '{actor}': no actor in the network has that IRI, name or alias.{hint}"
    E018 = "Bad date '{value}': expected YYYY, YYYY-MM or YYYY-MM-DD."
    E019 = "Bad --hops {hops}: expected 0 or more."
    E020 = "Ambiguous actor '{actor}': it names {candidates}. Pass the IRI instead."
    E022 = "Unknown period '{period}'. Choose one of: {choices}."
    E023 = "Unknown weight '{weight}'. Choose one of: {choices}."
    E024 = "Malformed dyads file {path}, line {line}: {reason}"
