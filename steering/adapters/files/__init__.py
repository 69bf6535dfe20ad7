"""Files the portal keeps: uploaded evidence."""
