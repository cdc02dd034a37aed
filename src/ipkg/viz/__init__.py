"""Visualisation: the pyvis explorer."""

from .network import actor_network_to_pyvis, write_html

__all__ = ["actor_network_to_pyvis", "write_html"]
