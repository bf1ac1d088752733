"""Accounts: users and their roles, who may see what (``access``), passwords and the sign-in
throttle (``passwords``), API tokens, password-reset links, consultants' access grants, and the
admin's user management."""
