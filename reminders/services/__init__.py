"""Writes of the reminders app, one module per topic: deadlines, the sweep, the outbox, delivery, digests, inbox."""
