"""Report read models: what the services build and every format renders."""
