"""Notifications: who is told what by email, the outbox that keeps every message until a mail
server takes it, and each user's choice of events.

Messages are written to the outbox in the transaction of the change they tell about
(``operations``), sent by a background worker once that transaction commits (``mail``), and
retried by ``roadmap send-mail``; with no mail server set they are only logged.
"""
