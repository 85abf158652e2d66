"""Worker entry points (django-q2). Thin: the pipeline and its guards live in exports.processing."""

from exports import processing


def generate_export(export_id: str) -> str:
    return processing.run(export_id)
