"""Visualisation: the pyvis explorer, and focused views of it."""

from .focus import ExplorerSummary, draw_explorer, focus_actor_network
from .network import actor_network_to_pyvis, write_html

__all__ = ["actor_network_to_pyvis", "write_html", "focus_actor_network", "draw_explorer", "ExplorerSummary"]
