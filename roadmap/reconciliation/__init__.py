"""Reconciliation of stored data: a platform's companies against its sector's scenarios
(``analysis``, scoped to the viewer), the dashboards built on it, their charts and downloads."""
