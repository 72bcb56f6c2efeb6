"""Deadline reminders: rules (pure), directory, outbox, dispatcher and scheduler."""
