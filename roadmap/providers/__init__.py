"""The neutral directory of service providers, and needs for support answered by them."""
