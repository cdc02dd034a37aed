"""ipkg's benchmark: build speed, memory and query latency on synthetic corpora and graphs.

Run from the repository root, by hand or with ``make bench`` (not part of ``make test``)::

    PYTHONPATH=src python -m bench                       # 100 and 1,000 documents
    PYTHONPATH=src python -m bench --sizes 100,1000,10000
    PYTHONPATH=src python -m bench --triples 1000000      # queries on a 10^6-triple graph
    PYTHONPATH=src python -m bench --compare bench/results/baseline.json

Corpora are recombined at run time from the seeds' sentences with actors swapped for others of
the same type from the gazetteer (:mod:`bench.corpus`); large graphs are copies of the seeds'
graph with document-level IRIs renamed (:mod:`bench.graph`). Each size runs in its own
subprocess so that its peak RSS is its own. Results are saved as JSON in ``bench/results/``.
"""
