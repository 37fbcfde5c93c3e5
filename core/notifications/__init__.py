"""Notifications: who is told what, on which channel (email, push, in-app), and what was sent."""
