"""Exporters: each takes finished results and writes one format; none of them computes anything."""
