"""Sending messages through apprise: channels, secrets, privacy-masked errors."""
