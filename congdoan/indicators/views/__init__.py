"""Indicator pages, one module per area: `entry` (choosing a unit and period, figures,
workflow, the approver's list), `targets`, `excel` (template download and upload), `dashboard`
(dashboards, rankings, charts). `base` holds their door, `IndicatorPageMixin`."""
