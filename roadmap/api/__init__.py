"""The JSON API, versioned under /api/v1, authenticated by bearer tokens."""
