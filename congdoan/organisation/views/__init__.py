"""Views of the organisation pages, one module per area."""
