"""Report files: Markdown, self-contained HTML, XLSX, CSV and ICS calendar feeds."""
