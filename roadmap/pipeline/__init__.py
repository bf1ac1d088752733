"""The near-zero project pipeline (issue 15, parts 2 and 3): a platform's projects, the KPIs
computed from them, and committed demand against the supply they promise."""
