"""Indicator pages, one module per area: `entry` (figures, workflow, targets), `excel` (template
download and upload), `dashboard` (dashboards, rankings, charts)."""
