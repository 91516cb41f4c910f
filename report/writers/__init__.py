"""Writers of the document model (``report.document``): Markdown here; Word and Excel import their libraries lazily."""
