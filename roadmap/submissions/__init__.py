"""Submissions: companies' trajectories by form, upload or API, each a new version, previewed,
compared and reviewed by the platform's coordinators."""
