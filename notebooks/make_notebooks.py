"""Write the notebooks from the cells below (outputs empty): edit here, run, commit the .ipynb files.

    python notebooks/make_notebooks.py
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).parent

SETUP = '''from pathlib import Path
import tempfile

ROOT = Path.cwd().parent if Path.cwd().name == "notebooks" else Path.cwd()
SEEDS = ROOT / "seeds"
OUT = Path(tempfile.mkdtemp(prefix="ipkg-"))  # a scratch build folder'''

NOTEBOOKS: dict[str, list[tuple[str, str]]] = {
    "01_tour.ipynb": [
        ("md", "# A tour of ipkg\n\nBuild the knowledge graph of the seed articles, ask it questions, trace an answer to its sentence, and draw the network. Run from the repository's `notebooks/` folder."),
        ("code", SETUP),
        ("md", "## Build\n\n`ipkg.build` is `ipkg build`: it reads the texts, extracts actors, events, stances, quotes and figures, and writes `graph.trig`, the Oxigraph store and the explorer page."),
        ("code", "import ipkg\n\nsummary = ipkg.build([SEEDS], OUT)\nprint(summary.render())"),
        ("md", "## Ask\n\nThe bundled queries answer the questions analysts ask most; each row carries the number of sources and an evidence sentence."),
        ("code", "store = ipkg.open_store(OUT)\nmeetings = ipkg.run_query(store, \"meetings\")\nprint(meetings.to_table(width=45))"),
        ("code", "strikes = ipkg.run_query(store, \"strikes\").rows\nfor row in strikes:\n    print(row[\"date\"], row[\"attackerLabel\"], \"->\", row[\"targetLabel\"])\n    print(\"   \", row[\"evidence\"])"),
        ("md", "## Who is who\n\nSpelling variants and titles resolve to one actor; namesakes stay apart. The `actors` query lists every surface form seen and the Wikidata ID where the gazetteer is sure of it."),
        ("code", "actors = ipkg.run_query(store, \"actors\").rows\nfor row in actors:\n    if \" | \" in row[\"aliases\"]:\n        print(f\"{row['label']:<28} {row['wikidata']:<10} {row['aliases']}\")"),
        ("md", "## The network\n\nThe actor network has one edge per event, from each actor to each target, with its type, date, quad class, Goldstein score and evidence."),
        ("code", "from ipkg.analysis import graph_to_actor_network\n\nds = ipkg.load_graph(OUT)\nG = graph_to_actor_network(ds)\nprint(G.number_of_nodes(), \"actors,\", G.number_of_edges(), \"events between them\")\nu, v, data = next(iter(G.edges(data=True)))\nprint(G.nodes[u][\"label\"], \"->\", G.nodes[v][\"label\"], data[\"kind\"], data[\"date\"], data[\"quad\"])\nprint(data[\"sentences\"][0])"),
        ("md", "## View\n\nThe build wrote a self-contained explorer page (no network needed). Open it in a browser; `ipkg serve` also serves it at `/`."),
        ("code", "page = OUT / \"graph.html\"\nprint(page, page.stat().st_size, \"bytes\")"),
    ],
    "02_network_analysis.ipynb": [
        ("md", "# Network analysis\n\nWho is central, which third parties sit between Iran and Pakistan, and how cooperation and conflict move year by year. The RDF graph is never handed to networkx raw: it is projected to an actor network first (one edge per event). Run from the repository's `notebooks/` folder."),
        ("code", SETUP),
        ("code", "import ipkg\nfrom ipkg import analysis as an\n\nipkg.build([SEEDS], OUT)\nG = an.graph_to_actor_network(ipkg.open_store(OUT))\nprint(G.number_of_nodes(), \"actors\", G.number_of_edges(), \"events\")"),
        ("md", "## Centrality\n\nWeighted degree counts an actor's events; PageRank follows who acts on whom; betweenness finds actors on the paths between others."),
        ("code", "label = lambda n: G.nodes[n][\"label\"]\nfor name, scores in [(\"events\", an.weighted_degree(G)), (\"PageRank\", an.pagerank(G)), (\"betweenness\", an.betweenness(G))]:\n    top = \", \".join(f\"{label(n)} {v:.3g}\" for n, v in an.rank(scores, 5))\n    print(f\"{name:<12}{top}\")"),
        ("md", "## Communities\n\nLouvain communities of the undirected, event-weighted network (seeded, so the same every run)."),
        ("code", "for i, group in enumerate(an.communities(G, seed=0), start=1):\n    print(i, sorted(label(n) for n in group))"),
        ("md", "## Around one actor, and between two\n\nActors can be named by label, alias or IRI."),
        ("code", "ego = an.ego_network(G, \"Asim Munir\", hops=1)\nprint(sorted(label(n) for n in ego))\nb = an.brokers(G, \"Iran\", \"Pakistan\", indirect=True)\nprint(b)"),
        ("md", "## The relationship over time\n\nA series per directed dyad: events, summed Goldstein score and counts per quad class per year. Each point keeps its events, so every number can be traced to sentences."),
        ("code", "series = an.series_for_dyads(G, period=\"year\")\nfor s in series[:2]:\n    print(s.name)\n    for p in s.points:\n        print(f\"  {p.period}  events {p.events:>2}  Goldstein {p.goldstein:6.1f}  {p.quads}\")"),
        ("code", "point = series[0].points[-1]\nevent = point.event_iris[0]\nedge = next(d for _, _, d in G.edges(data=True) if d[\"event\"] == event or d.get(\"iri\") == event)\nprint(event)\nprint(edge[\"kind\"], edge[\"date\"], \"-\", edge[\"sentences\"][0])"),
        ("md", "## A chart\n\nmatplotlib draws the yearly Goldstein sum of the two directions; `ipkg analyze` writes this and more as a report."),
        ("code", "import matplotlib\nmatplotlib.use(\"Agg\")\nimport matplotlib.pyplot as plt\n\nfig, ax = plt.subplots(figsize=(7, 3))\nfor s in series[:2]:\n    ax.plot([int(p.period) for p in s.points], [p.goldstein for p in s.points], marker=\"o\", label=s.name)\nax.axhline(0, color=\"grey\", lw=0.5)\nax.set_ylabel(\"summed Goldstein\")\nax.legend()\nchart = OUT / \"dyads.png\"\nfig.savefig(chart, dpi=80)\nprint(chart, chart.stat().st_size > 0)"),
        ("code", "from ipkg.analysis.report import write_report\n\nsummary = write_report(ipkg.load_graph(OUT), OUT / \"report\")\nprint(summary.render())"),
    ],
    "03_sparql_cookbook.ipynb": [
        ("md", "# SPARQL cookbook\n\nQuestions analysts ask, as SPARQL over the ipkg graph. Every answer row can be traced to the sentence and document that state it. Run from the repository's `notebooks/` folder."),
        ("code", SETUP),
        ("code", "import ipkg\nfrom ipkg import open_store, run_query\nfrom ipkg.query import list_queries\n\nsummary = ipkg.build([SEEDS], OUT)\nprint(summary.render())"),
        ("md", "## The bundled queries\n\nEach answers one question; `ipkg query NAME` runs the same from the shell."),
        ("code", "for name, question in list_queries().items():\n    print(f\"{name:<13}{question}\")"),
        ("md", "`open_store` opens the build's Oxigraph store (fast, on disk); `run_query` takes a query name, a `.rq` file or SPARQL text."),
        ("code", "store = open_store(OUT)\nprint(store.kind)\nprint(run_query(store, \"visits\").to_table(width=50))"),
        ("md", "## Who condemned whom\n\nAn ad-hoc query: stances of kind *condemn*, with their evidence."),
        ("code", "CONDEMN = '''\nPREFIX ipkg: <https://w3id.org/ipkg/ontology#>\nPREFIX skos: <http://www.w3.org/2004/02/skos/core#>\nSELECT ?speaker ?about ?date ?sentence WHERE {\n  ?e ipkg:kind/skos:prefLabel \"condemn\"@en ;\n     ipkg:actor/skos:prefLabel ?speaker ;\n     ipkg:evidence/ipkg:sentence ?sentence .\n  OPTIONAL { ?e ipkg:target/skos:prefLabel ?about }\n  OPTIONAL { ?e ipkg:date ?date }\n}\nORDER BY ?date\n'''\nrows = run_query(store, CONDEMN).rows\nprint(len(rows), \"condemnations\")\nprint(run_query(store, CONDEMN).to_table(width=40))"),
        ("md", "## Parameters are bindings, never string formatting\n\nBind `?actor` to an IRI: the value reaches the query as an RDF term, so it cannot change the query's structure."),
        ("code", "from rdflib import URIRef\n\nACTOR_EVENTS = '''\nPREFIX ipkg: <https://w3id.org/ipkg/ontology#>\nPREFIX skos: <http://www.w3.org/2004/02/skos/core#>\nSELECT ?kind (COUNT(DISTINCT ?e) AS ?events) WHERE {\n  ?e ipkg:actor ?actor ; ipkg:kind/skos:prefLabel ?kind .\n}\nGROUP BY ?kind ORDER BY DESC(?events) ?kind\n'''\niran = URIRef(\"https://w3id.org/ipkg/id/actor/iran\")\nprint(run_query(store, ACTOR_EVENTS, actor=iran).to_table())"),
        ("md", "## Every fact has its evidence\n\nAn event's evidence nodes give the document, the sentence and its character offsets."),
        ("code", "EVIDENCE = '''\nPREFIX ipkg: <https://w3id.org/ipkg/ontology#>\nPREFIX dcterms: <http://purl.org/dc/terms/>\nSELECT ?doc ?start ?end ?sentence WHERE {\n  ?e a ipkg:Event ; ipkg:evidence ?ev .\n  ?ev ipkg:document/dcterms:identifier ?doc ; ipkg:startOffset ?start ; ipkg:endOffset ?end ; ipkg:sentence ?sentence .\n}\nORDER BY ?doc ?start LIMIT 5\n'''\nprint(run_query(store, EVIDENCE).to_table(width=60))"),
        ("md", "## CONSTRUCT a subgraph\n\nA CONSTRUCT answer is an rdflib graph you can serialise or load elsewhere."),
        ("code", "SUB = '''\nPREFIX ipkg: <https://w3id.org/ipkg/ontology#>\nCONSTRUCT { ?e ?p ?o } WHERE { ?e ipkg:kind/ipkg:category \"strike\" ; ?p ?o }\n'''\ngraph = store.query(SUB).graph\nprint(len(graph), \"triples\")\nprint(graph.serialize(format=\"turtle\")[:600])"),
        ("md", "## The same queries over HTTP\n\n`ipkg serve` answers the SPARQL 1.1 Protocol; here it runs inside the notebook on a free port, and rdflib's `RemoteStore` client gives the same rows."),
        ("code", "import threading\nfrom ipkg.server import ServeConfig, make_server\nfrom ipkg.store import RemoteStore\n\nserver = make_server(OUT, port=0, config=ServeConfig(workers=1))\nthreading.Thread(target=server.serve_forever, daemon=True).start()\nremote = RemoteStore(server.url + \"sparql\")\nover_http = run_query(remote, \"visits\").rows\nassert len(over_http) == len(run_query(store, \"visits\").rows)\nprint(len(over_http), \"visits over HTTP from\", server.url)\nserver.shutdown(); server.server_close()"),
    ],
}


def write(name: str, cells: list[tuple[str, str]]) -> Path:
    nb = new_notebook(cells=[new_markdown_cell(src) if kind == "md" else new_code_cell(src) for kind, src in cells])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    path = HERE / name
    nbformat.write(nb, path)
    return path


if __name__ == "__main__":
    for name, cells in NOTEBOOKS.items():
        print("wrote", write(name, cells))
