"""Importers: each turns a source model into a converter.ir.Graph."""
