"""Sector platforms through the four MPP stages: shared vision and signatories, roadmap
pathways and KPIs, company targets, demand signals and policy asks, implementation actions;
the gate checklist of each stage and the history of every change."""
