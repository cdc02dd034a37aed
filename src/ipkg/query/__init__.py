"""SPARQL: the bundled competency queries."""

from .sparql import QueryResult, list_queries, load_query, run_query

__all__ = ["QueryResult", "list_queries", "load_query", "run_query"]
