"""The LA's collector: receives, verifies, stores, reviews and aggregates signed returns."""
