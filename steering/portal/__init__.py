"""The participant portal: FastAPI with server-side templates, one more entry point."""
