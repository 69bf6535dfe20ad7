"""Files on disk: uploaded evidence kept by the portal, and atomic writes for reports."""
