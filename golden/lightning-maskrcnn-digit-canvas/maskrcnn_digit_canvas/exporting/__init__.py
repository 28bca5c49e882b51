"""Exported models: export.py writes a folder of the model and its manifest.json; the
files here read that folder, prepare images as the manifest says and run the model
without torch or paddle (docs/export.md: the contract, for another language too)."""
