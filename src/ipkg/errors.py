"""Coded error messages, as spaCy's ``errors.py`` keeps them."""

from __future__ import annotations

__all__ = ["Errors", "IpkgError", "QuerySyntaxError", "Warnings"]


class IpkgError(Exception):
    """An error ipkg reports to the user with a coded message."""


class QuerySyntaxError(IpkgError):
    """A query the SPARQL parser rejects; the message is the parser's."""


class Errors:
    E001 = "Ontology directory not found: {path}. Set IPKG_ONTOLOGY to the folder that holds ipkg.ttl."
    E002 = "No input documents found in {paths} (ipkg reads .txt, .md, .html and .htm files)."
    E003 = "Cannot read {path}: {reason}"
    E004 = "malformed front matter: {reason}"
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
    # Reasons an input file is not read (printed as "error: PATH: REASON" by ``ipkg build``).
    E025 = "binary file ({kind}), not text"
    E026 = "{size} is above the size limit of {limit} (raise it with --max-size)"
    E027 = "unsupported file type {suffix!r} (ipkg reads {suffixes})"
    E028 = "not a regular file ({kind})"
    E029 = "broken symbolic link (points to {target})"
    E030 = "cannot read: {reason}"
    E031 = "no such file or folder"
    E033 = "Bad {what} {value!r}: expected a whole number, 0 or more."


class Warnings:
    """Reasons for "warning: PATH: REASON": the file was read with a change, or skipped harmlessly."""

    W001 = "no text{where}; skipped"
    W002 = "not UTF-8; read as Windows-1252"
    W003 = "neither UTF-8 nor Windows-1252; read as Latin-1, so some characters may be wrong"
    W004 = "unsupported file type {suffix!r}; skipped (ipkg reads {suffixes})"
    W005 = "{length:,} characters (longest line {line:,}); processed in {parts} parts of at most {size:,} characters, and no fact spans two parts"
    W006 = "mostly {script} script{language}; ipkg's rules are for English, so expect few or no facts"
    W007 = "document id {doc_id!r} is already used by {other} (ids are compared as IRI slugs); this document is {new_id!r}"
