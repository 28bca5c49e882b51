"""What a user may ask for (the spec) and what onefit can build (the catalog entry types)."""
