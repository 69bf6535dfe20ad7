"""Notification rules: working days, reminder lifecycle, notices and digests."""
